# Medical image server: Orthanc + our plugin.
#   make run    build and start the server on http://127.0.0.1:8042/
#   make test   build and run every test (unit, integration)
# Everything they need is installed by `make deps` (Debian packages).

BUILD_DIR ?= build
JOBS ?= 2

# Build and run: Orthanc, its DICOMweb plugin, the SDK and the libraries.
RUNTIME_PACKAGES := orthanc orthanc-dicomweb orthanc-gdcm curl
BUILD_PACKAGES := orthanc-dev cmake g++ make pkg-config libdcmtk-dev libjsoncpp-dev \
  libsodium-dev libsqlite3-dev libjpeg62-turbo-dev libpng-dev
TEST_PACKAGES := libgtest-dev libcurl4-openssl-dev dcmtk
BENCH_PACKAGES := wrk python3-fastapi python3-uvicorn python3-multipart python3-pydicom \
  python3-numpy

.PHONY: all deps deps-bench build run test unit-test integration-test bench clean

all: build

deps:
	@scripts/install-deps.sh $(RUNTIME_PACKAGES) $(BUILD_PACKAGES) $(TEST_PACKAGES)

deps-bench: deps
	@scripts/install-deps.sh $(BENCH_PACKAGES)

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S plugin -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# HTTP_PORT, DICOM_PORT and STATE_DIR choose the ports and the storage folder.
run: build
	scripts/run-server.sh

# Integration tests mostly wait on Orthanc starting and stopping: run 4 at once.
test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j 4

unit-test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -L unit

integration-test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j 4 -L integration

bench: build deps-bench
	bench/volume

clean:
	rm -rf $(BUILD_DIR)
