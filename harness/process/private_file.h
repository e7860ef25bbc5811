// File: harness/process/private_file.h
//
// `WritePrivateFile`: write a file only its owner may read (mode 0600), such
// as a test server's private key, with no moment at which the umask's mode
// would let others read it.
//
//   TIGRESS_RETURN_IF_ERROR(WritePrivateFile(dir / "server-key.pem", pki.server_key_pem));
#pragma once

#include <filesystem>
#include <string_view>

#include "protocol/result.h"

namespace tigress::harness {

// `WritePrivateFile` creates `path` with mode 0600, or truncates an existing
// regular file and sets its mode to 0600, then writes `text`. A symbolic link
// at `path` is not followed (an error). Errors: kIoFailure naming the path
// and the OS error.
Result<void> WritePrivateFile(const std::filesystem::path& path, std::string_view text);

}  // namespace tigress::harness
