# Writes generated/OpenApiDocument.cpp: the OpenAPI document, written by hand
# in plugin/resources/openapi.json, as OpenApiDocument() returns it.
set(MIS_OPENAPI_FILE ${PROJECT_SOURCE_DIR}/plugin/resources/openapi.json)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${MIS_OPENAPI_FILE})
file(READ ${MIS_OPENAPI_FILE} MIS_OPENAPI_JSON)
# Refuse a broken document at configure time rather than serve it.
string(JSON MIS_OPENAPI_VERSION ERROR_VARIABLE MIS_OPENAPI_ERROR GET "${MIS_OPENAPI_JSON}" openapi)
if(MIS_OPENAPI_ERROR)
  message(FATAL_ERROR "${MIS_OPENAPI_FILE} is not valid JSON: ${MIS_OPENAPI_ERROR}")
endif()
string(FIND "${MIS_OPENAPI_JSON}" ")mis_openapi_json\"" MIS_OPENAPI_DELIMITER)
if(NOT MIS_OPENAPI_DELIMITER EQUAL -1)
  message(FATAL_ERROR "${MIS_OPENAPI_FILE} contains the raw string delimiter")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/OpenApiDocument.cpp.in
  ${CMAKE_CURRENT_BINARY_DIR}/generated/OpenApiDocument.cpp @ONLY)
