// File: protocol/random.h
//
// Randomness from the OS CSPRNG (OpenSSL RAND_bytes). Used for Secrets, IVs,
// device claims, request IDs and mailbox ids.
#pragma once

#include <cstddef>

#include "protocol/encoding.h"

namespace tigress {

// `RandomBytes` returns `n` octets from the CSPRNG. Errors: kRandomFailure.
Result<Bytes> RandomBytes(std::size_t n);

}  // namespace tigress
