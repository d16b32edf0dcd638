// ReadJsonText's bound on nesting (kMaxJsonDepth), on the stack of Orthanc's
// HTTP threads: text nested deeper than the bound is refused, never parsed
// past the stack (issue 16, item 1: 300 levels of "[" ended the server).

#include <gtest/gtest.h>
#include <json/value.h>

#include <string>

#include "JsonText.h"
#include "ServerThreadStack.h"

namespace mis {
namespace {

// `levels` arrays, the innermost holding a number.
std::string NestedArrays(unsigned levels) {
  return std::string(levels, '[') + "1" + std::string(levels, ']');
}

std::string NestedObjects(unsigned levels) {
  std::string text;
  for (unsigned i = 0; i < levels; ++i) text += "{\"a\":";
  text += "1";
  text += std::string(levels, '}');
  return text;
}

TEST(JsonText, ReadsNestingUpToTheBound) {
  test::RunOnServerHttpStack([] {
    for (const std::string& text : {NestedArrays(kMaxJsonDepth), NestedObjects(kMaxJsonDepth)}) {
      Json::Value value;
      std::string errors;
      ASSERT_TRUE(ReadJsonText(text, value, errors)) << errors;
      // Walk down: exactly kMaxJsonDepth containers.
      unsigned depth = 0;
      const Json::Value* level = &value;
      while (level->isArray() || level->isObject()) {
        ++depth;
        if (level->empty()) break;
        level = level->isArray() ? &(*level)[0] : &(*level)["a"];
      }
      EXPECT_EQ(depth, kMaxJsonDepth);
    }
  });
}

TEST(JsonText, RefusesNestingBeyondTheBoundOnTheServersStack) {
  test::RunOnServerHttpStack([] {
    for (const std::string& text :
         {NestedArrays(kMaxJsonDepth + 1), NestedObjects(kMaxJsonDepth + 1),
          // Empty innermost arrays: JsonCpp's count (one less, JsonText.h).
          std::string(kMaxJsonDepth + 2, '[') + std::string(kMaxJsonDepth + 2, ']'), NestedArrays(300),
          std::string(1'000'000, '['), "[" + std::string(100'000, '{') }) {
      Json::Value value;
      std::string errors;
      EXPECT_FALSE(ReadJsonText(text, value, errors)) << text.substr(0, 80);
      EXPECT_FALSE(errors.empty());
      EXPECT_TRUE(value.isNull());
    }
    Json::Value value;
    std::string errors;
    ASSERT_FALSE(ReadJsonText(NestedArrays(300), value, errors));
    EXPECT_EQ(errors, "arrays and objects nested more than 64 levels deep");
  });
}

TEST(JsonText, StillReportsOrdinarySyntaxErrors) {
  Json::Value value;
  std::string errors;
  EXPECT_FALSE(ReadJsonText("{\"a\": }", value, errors));
  EXPECT_FALSE(errors.empty());
  EXPECT_TRUE(ReadJsonText("{\"a\": [1, {\"b\": null}]}", value, errors)) << errors;
  EXPECT_EQ(value["a"][1]["b"], Json::Value());
}

}  // namespace
}  // namespace mis
