#pragma once

#include <string>
#include <string_view>

namespace mis {

// Password hashing and secret tokens, all from libsodium.

// Initializes libsodium; safe to call many times, throws if it cannot start.
void InitializeSecrets();

// Argon2id hash in libsodium's self-describing string format (salt and limits
// included), with the "interactive" limits: 64 MiB, 2 passes.
std::string HashPassword(std::string_view password);

// Checks a password against a stored hash (constant time in libsodium).
bool VerifyPassword(const std::string& storedHash, std::string_view password);

// A hash of a random password, to verify against when the user name is
// unknown, so that unknown users cost the same time as wrong passwords.
const std::string& DecoyPasswordHash();

// 256 random bits, URL-safe base64 without padding (43 characters).
std::string NewSecretToken();

// What the database keeps of a token: BLAKE2b-256 in hex. Tokens have 256
// bits of entropy, so a fast hash suffices (unlike passwords).
std::string TokenDigest(std::string_view token);

// Equality that takes the same time wherever the first difference is.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// A random password for the first administrator (24 URL-safe characters).
std::string NewRandomPassword();

}  // namespace mis
