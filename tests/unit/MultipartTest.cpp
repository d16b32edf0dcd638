// Finding the uploaded file in multipart/form-data bodies (RFC 7578), and the
// Content-Type helpers.
#include <gtest/gtest.h>

#include <string>

#include "HttpError.h"
#include "Multipart.h"

namespace mis {
namespace {

using namespace std::string_literals;  // "..."s keeps embedded NUL bytes

const std::string kContentType = "multipart/form-data; boundary=XyZ";

std::string Part(const std::string& disposition, const std::string& content) {
  return "--XyZ\r\nContent-Disposition: form-data; " + disposition +
         "\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n";
}

const std::string kEnd = "--XyZ--\r\n";

int StatusOf(const std::string& body, const std::string& contentType) {
  try {
    FindFormFile(body, contentType, "file");
  } catch (const HttpError& error) {
    return error.Status();
  }
  return 200;
}

TEST(Multipart, SimpleBody) {
  const std::string body = Part("name=\"file\"; filename=\"a.dcm\"", "DICOM bytes") + kEnd;
  EXPECT_EQ(FindFormFile(body, kContentType, "file"), "DICOM bytes");
}

TEST(Multipart, PreambleAndEpilogueAreIgnored) {
  const std::string body = "preamble\r\n" + Part("name=\"file\"", "abc") + kEnd + "epilogue";
  EXPECT_EQ(FindFormFile(body, kContentType, "file"), "abc");
}

TEST(Multipart, QuotedBoundary) {
  // A boundary with a space or a colon has to be quoted in the header.
  const std::string body =
      "--a:b c\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--a:b c--\r\n";
  EXPECT_EQ(FindFormFile(body, "multipart/form-data; boundary=\"a:b c\"", "file"), "abc");
}

TEST(Multipart, FileFieldAmongOtherFields) {
  const std::string body = Part("name=\"comment\"", "hello") +
                           Part("name=\"file\"; filename=\"b.dcm\"", "the file") +
                           Part("name=\"other\"; filename=\"c.dcm\"", "not this one") + kEnd;
  EXPECT_EQ(FindFormFile(body, kContentType, "file"), "the file");
}

TEST(Multipart, FileFieldAfterAnotherFileIsStillPreferred) {
  const std::string body = Part("name=\"other\"; filename=\"c.dcm\"", "not this one") +
                           Part("name=\"file\"", "the file") + kEnd;
  EXPECT_EQ(FindFormFile(body, kContentType, "file"), "the file");
}

TEST(Multipart, AnyPartWithAFilenameIsAcceptedWithoutAFileField) {
  const std::string body = Part("name=\"comment\"", "hello") +
                           Part("name=\"upload\"; filename=\"d.dcm\"", "uploaded") + kEnd;
  EXPECT_EQ(FindFormFile(body, kContentType, "file"), "uploaded");
}

TEST(Multipart, NoFileAtAllIs400) {
  const std::string body = Part("name=\"comment\"", "hello") + kEnd;
  try {
    FindFormFile(body, kContentType, "file");
    FAIL() << "accepted a body without a file";
  } catch (const HttpError& error) {
    EXPECT_EQ(error.Status(), 400);
    EXPECT_EQ(error.Code(), "missing_file");
  }
}

TEST(Multipart, MissingBoundaryIs400) {
  const std::string body = Part("name=\"file\"", "abc") + kEnd;
  EXPECT_EQ(StatusOf(body, "multipart/form-data"), 400);
  EXPECT_EQ(StatusOf(body, "multipart/form-data; boundary="), 400);
  EXPECT_EQ(StatusOf(body, "multipart/form-data; boundary=" + std::string(71, 'b')), 400);
  // A boundary that the body does not use.
  EXPECT_EQ(StatusOf(body, "multipart/form-data; boundary=Other"), 400);
}

TEST(Multipart, TruncatedBodyIs400) {
  const std::string whole = Part("name=\"file\"", "0123456789") + kEnd;
  // Cut in the content, just before the closing delimiter, inside its dashes,
  // and inside the headers.
  EXPECT_EQ(StatusOf(whole.substr(0, whole.find("56789")), kContentType), 400);
  EXPECT_EQ(StatusOf(whole.substr(0, whole.size() - kEnd.size()), kContentType), 400);
  EXPECT_EQ(StatusOf(whole.substr(0, whole.size() - 4), kContentType), 400);
  EXPECT_EQ(StatusOf(whole.substr(0, 30), kContentType), 400);
  // The last delimiter is not a closing one and no part follows it.
  EXPECT_EQ(StatusOf(whole.substr(0, whole.size() - 4) + "\r\n", kContentType), 400);
}

TEST(Multipart, BinaryContentWithDelimiterLikeBytes) {
  // CRLF + "--" fragments that are not CRLF + "--XyZ" belong to the content.
  const std::string content = "\x00\x01\r\n--\r\n--Xy\r\n-XyZ\xff\x00--XyZ\r\n\x80"s;
  const std::string body = Part("name=\"file\"; filename=\"bin.dcm\"", content) + kEnd;
  const std::string_view found = FindFormFile(body, kContentType, "file");
  EXPECT_EQ(found.size(), content.size());
  EXPECT_EQ(found, content);
}

TEST(Multipart, EmptyFile) {
  const std::string body = Part("name=\"file\"; filename=\"empty.dcm\"", "") + kEnd;
  EXPECT_EQ(FindFormFile(body, kContentType, "file"), "");
}

}  // namespace
}  // namespace mis
