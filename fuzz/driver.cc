// The corpus driver: what a fuzz target is linked with when libFuzzer is not
// (every GCC build). It runs LLVMFuzzerTestOneInput on every file of the
// given folders (the seed corpus and the regression inputs), then on
// deterministic mutations of those files until a time or run budget is spent:
//
//   relay_fuzz [--seconds N] [--runs N] [--seed N] [--max-len N] DIR_OR_FILE...
//
// Exit 0 when every input returned; a crash or a failed FUZZ_CHECK ends the
// process (the input that did it is written to crash-<hash> in the current
// folder first, so it can become a regression input).
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include "fuzz/fuzz_check.h"

namespace {

namespace fs = std::filesystem;
using Input = std::vector<std::uint8_t>;

struct Options {
  double seconds = 10;
  std::uint64_t runs = 10'000'000;
  std::uint64_t seed = 1;
  std::size_t max_len = 0;  // 0: twice the largest corpus file, at least 4096
  std::vector<fs::path> paths;
};

// The input being run, for the crash handler; only async-signal-safe calls there.
const std::uint8_t* g_data = nullptr;
std::size_t g_size = 0;

std::uint64_t Fnv1a(const std::uint8_t* data, std::size_t size) {
  std::uint64_t h = 1469598103934665603ULL;
  for (std::size_t i = 0; i < size; ++i) {
    h = (h ^ data[i]) * 1099511628211ULL;
  }
  return h;
}

void SaveCrashingInput(int sig) {
  if (g_data != nullptr) {
    char name[40] = "crash-";
    std::uint64_t h = Fnv1a(g_data, g_size);
    for (int i = 0; i < 16; ++i) {
      name[6 + i] = "0123456789abcdef"[(h >> (60 - 4 * i)) & 0xFU];
    }
    int fd = ::open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      (void)!::write(fd, g_data, g_size);
      ::close(fd);
    }
    const char msg[] = "\ndriver: the crashing input is saved as ";
    (void)!::write(2, msg, sizeof msg - 1);
    (void)!::write(2, name, std::strlen(name));
    (void)!::write(2, "\n", 1);
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

Input ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Input(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every regular file under the given folders (or the files themselves), sorted,
// so the run does not depend on directory order.
std::vector<Input> LoadCorpus(const std::vector<fs::path>& paths, std::size_t& files) {
  std::vector<fs::path> found;
  for (const fs::path& p : paths) {
    if (fs::is_directory(p)) {
      for (const auto& e : fs::recursive_directory_iterator(p)) {
        if (e.is_regular_file() && e.path().filename().string().front() != '.') {
          found.push_back(e.path());
        }
      }
    } else if (fs::is_regular_file(p)) {
      found.push_back(p);
    }
  }
  std::sort(found.begin(), found.end());
  files = found.size();
  std::vector<Input> corpus;
  for (const fs::path& p : found) {
    corpus.push_back(ReadFile(p));
  }
  return corpus;
}

// `Mutator` derives inputs from the corpus: byte flips and overwrites,
// inserted and erased runs, copied runs and splices of two corpus files.
class Mutator {
 public:
  Mutator(const std::vector<Input>& corpus, std::uint64_t seed, std::size_t max_len)
      : corpus_(corpus), rng_(seed), max_len_(max_len) {}

  Input Next() {
    Input out = Pick();
    const int rounds = 1 + static_cast<int>(Below(4));
    for (int i = 0; i < rounds; ++i) {
      MutateOnce(out);
    }
    if (out.size() > max_len_) {
      out.resize(max_len_);
    }
    return out;
  }

 private:
  std::size_t Below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng_() % n); }
  std::uint8_t Byte() { return static_cast<std::uint8_t>(rng_()); }
  const Input& Pick() {
    static const Input kEmpty;
    return corpus_.empty() ? kEmpty : corpus_[Below(corpus_.size())];
  }

  void MutateOnce(Input& in) {
    // Characters the text formats under test give meaning to.
    static constexpr std::string_view kSpecial = "\"{}[]:,\n\r\t #?%/=-.\\0\xff";
    switch (Below(in.empty() ? 2 : 7)) {
      case 0:  // insert a few random or special octets
      case 1: {
        const std::size_t at = Below(in.size() + 1);
        const std::size_t n = 1 + Below(4);
        for (std::size_t i = 0; i < n; ++i) {
          const std::uint8_t b =
              Below(2) == 0 ? Byte() : static_cast<std::uint8_t>(kSpecial[Below(kSpecial.size())]);
          in.insert(in.begin() + static_cast<std::ptrdiff_t>(at), b);
        }
        break;
      }
      case 2:  // flip one bit
        in[Below(in.size())] ^= static_cast<std::uint8_t>(1U << Below(8));
        break;
      case 3:  // overwrite one octet
        in[Below(in.size())] = Byte();
        break;
      case 4: {  // erase a run
        const std::size_t at = Below(in.size());
        const std::size_t n = 1 + Below(std::min<std::size_t>(16, in.size() - at));
        in.erase(in.begin() + static_cast<std::ptrdiff_t>(at),
                 in.begin() + static_cast<std::ptrdiff_t>(at + n));
        break;
      }
      case 5: {  // copy a run of a corpus file (or of itself) into it
        const Input& src = Below(2) == 0 ? Pick() : Input(in);
        if (src.empty()) break;
        const std::size_t from = Below(src.size());
        const std::size_t n = 1 + Below(std::min<std::size_t>(64, src.size() - from));
        const Input run(src.begin() + static_cast<std::ptrdiff_t>(from),
                        src.begin() + static_cast<std::ptrdiff_t>(from + n));
        in.insert(in.begin() + static_cast<std::ptrdiff_t>(Below(in.size() + 1)), run.begin(),
                  run.end());
        break;
      }
      default: {  // splice: this input's head, another corpus file's tail
        const Input& other = Pick();
        const std::size_t head = Below(in.size() + 1);
        const std::size_t tail = Below(other.size() + 1);
        in.resize(head);
        in.insert(in.end(), other.begin() + static_cast<std::ptrdiff_t>(tail), other.end());
        break;
      }
    }
  }

  const std::vector<Input>& corpus_;
  std::mt19937_64 rng_;
  std::size_t max_len_;
};

void RunOne(const Input& in) {
  // A copy on the heap of exactly the input's size, so AddressSanitizer sees
  // a read past its end (as libFuzzer arranges).
  std::unique_ptr<std::uint8_t[]> copy(new std::uint8_t[std::max<std::size_t>(in.size(), 1)]);
  std::copy(in.begin(), in.end(), copy.get());
  g_data = copy.get();
  g_size = in.size();
  LLVMFuzzerTestOneInput(copy.get(), in.size());
  g_data = nullptr;
}

bool ParseArgs(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--seconds" && (v = value()) != nullptr) {
      o.seconds = std::strtod(v, nullptr);
    } else if (a == "--runs" && (v = value()) != nullptr) {
      o.runs = std::strtoull(v, nullptr, 10);
    } else if (a == "--seed" && (v = value()) != nullptr) {
      o.seed = std::strtoull(v, nullptr, 10);
    } else if (a == "--max-len" && (v = value()) != nullptr) {
      o.max_len = std::strtoull(v, nullptr, 10);
    } else if (!a.empty() && a.front() == '-') {
      return false;
    } else {
      o.paths.emplace_back(a);
    }
  }
  return !o.paths.empty();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseArgs(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s [--seconds N] [--runs N] [--seed N] [--max-len N] DIR_OR_FILE...\n",
                 argv[0]);
    return 2;
  }
  for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) {
    std::signal(sig, SaveCrashingInput);
  }
  std::size_t files = 0;
  const std::vector<Input> corpus = LoadCorpus(o.paths, files);
  std::size_t largest = 0;
  for (const Input& in : corpus) {
    largest = std::max(largest, in.size());
  }
  const std::size_t max_len = o.max_len != 0 ? o.max_len : std::max<std::size_t>(4096, 2 * largest);

  const auto start = std::chrono::steady_clock::now();
  for (const Input& in : corpus) {
    RunOne(in);
  }
  const auto corpus_done = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration<double>(o.seconds);
  Mutator mutator(corpus, o.seed, max_len);
  std::uint64_t mutations = 0;
  while (mutations < o.runs && std::chrono::steady_clock::now() < deadline) {
    RunOne(mutator.Next());
    ++mutations;
  }
  const double corpus_s = std::chrono::duration<double>(corpus_done - start).count();
  const double mutate_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - corpus_done).count();
  std::printf(
      "driver: %zu corpus files in %.2f s, %llu mutations in %.2f s (%.0f exec/s), seed %llu\n",
      files, corpus_s, static_cast<unsigned long long>(mutations), mutate_s,
      mutate_s > 0 ? static_cast<double>(mutations) / mutate_s : 0.0,
      static_cast<unsigned long long>(o.seed));
  return 0;
}
