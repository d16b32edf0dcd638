#pragma once

namespace mis::orthanc {

// Registers Orthanc's ReceivedInstanceCallback (Orthanc 1.10.0 and later),
// which every instance passes before Orthanc stores it, from REST
// (POST /instances, which STOW-RS uses too) and from C-STORE alike, and which
// gets the file's bytes before Orthanc parses them for a REST upload. It
// refuses, with a warning in the log, a file that nests sequences deeper than
// kMaxSequenceDepth or whose deflated data set inflates past
// kMaxDecodedDicomBytes (DicomNesting.h): such a file would end the server
// when read on one of its HTTP threads, now or on every later view. The store
// fails: C-STORE senders get a failure status, STOW-RS lists the instance as
// failed, POST /instances answers 500 (Orthanc's "Error in the plugin
// implementation").
// Only one plugin may register this callback. Call once, at start-up.
void RegisterReceivedInstanceCheck();

}  // namespace mis::orthanc
