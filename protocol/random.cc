#include "protocol/random.h"

#include <openssl/rand.h>

#include <limits>

namespace tigress {

Result<Bytes> RandomBytes(std::size_t n) {
  Bytes out(n);
  if (n == 0) return out;
  if (n > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      RAND_bytes(out.data(), static_cast<int>(n)) != 1) {
    return MakeError(Errc::kRandomFailure, "RAND_bytes failed for " + std::to_string(n) + " octets");
  }
  return out;
}

}  // namespace tigress
