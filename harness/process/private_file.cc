#include "harness/process/private_file.h"

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tigress::harness {

namespace {

Error PrivateFileError(const std::filesystem::path& path, const char* what, int err) {
  return MakeError(Errc::kIoFailure,
                   path.string() + ": cannot " + what + ": " + std::strerror(err));
}

}  // namespace

Result<void> WritePrivateFile(const std::filesystem::path& path, std::string_view text) {
  // Created 0600 rather than chmod-ed afterwards: the umask's mode would let
  // others open it in between.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return PrivateFileError(path, "create", errno);
  }
  // An existing file keeps its mode through O_CREAT.
  if (::fchmod(fd, 0600) != 0) {
    const int err = errno;
    ::close(fd);
    return PrivateFileError(path, "set mode 0600 on", err);
  }
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::close(fd);
      return PrivateFileError(path, "write", err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    return PrivateFileError(path, "write", errno);
  }
  return {};
}

}  // namespace tigress::harness
