// Runs a fuzz target's LLVMFuzzerTestOneInput over files without libFuzzer,
// so that the regression inputs and the seeds are replayed by the ordinary
// build: each argument is a file or a folder (every file in it, recursively).
// A crash, an abort or an exception escaping the target fails the run.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

void Replay(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  // Named first, so that a crash's output says which input it was.
  std::cout << path.string() << " (" << bytes.size() << " bytes)" << std::endl;
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path argument(argv[i]);
    if (std::filesystem::is_directory(argument)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(argument)) {
        if (entry.is_regular_file() && entry.path().filename() != "README.md") {
          Replay(entry.path());
          ++replayed;
        }
      }
    } else {
      Replay(argument);
      ++replayed;
    }
  }
  if (replayed == 0) {
    std::cerr << "no input to replay" << std::endl;
    return 1;
  }
  std::cout << replayed << " inputs replayed without a crash" << std::endl;
  return 0;
}
