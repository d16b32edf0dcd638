#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mis {

// A text value written with ISO 2022 code extensions (PS3.5 §6.1.2.5,
// PS3.3 §C.12.1.1.2), decoded to UTF-8: escape sequences inside the value
// designate the character set of G0 (bytes below 0x80) or G1 (bytes from
// 0x80), among those of PS3.3 Tables C.12-3 and C.12-4: ISO 8859 parts
// (ISO 2022 IR 100 ... 203), Thai (IR 166), JIS X 0201 (IR 13), JIS X 0208
// (IR 87), JIS X 0212 (IR 159), KS X 1001 (IR 149) and GB 2312 (IR 58).
// `specificCharacterSet` is the value of (0008,0005), values separated by
// backslashes; its first value gives the sets in force at the start and
// again after each delimiter: "\" in any value, and "^" and "=" in a person
// name (`personName`). glibc's iconv converts the bytes of each set.
//
// As tolerant as pydicom where the intent is plain: a person name that
// cannot be read with the reset at "^" is read again without it ("ESC - A
// M\xFCller^Zo\xEB" is Müller^Zoë), and an escape sequence of a set the
// attribute does not declare is followed.
//
// Nothing when the value holds no escape sequence (there is no code
// extension to read: the first value's character set applies throughout),
// or it cannot be read: an unknown escape sequence, a byte no designated set
// holds, a first value that is not an ISO 2022 or ISO_IR term.
std::optional<std::string> DecodeCodeExtensions(std::string_view value,
                                                std::string_view specificCharacterSet,
                                                bool personName);

}  // namespace mis
