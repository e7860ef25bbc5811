#include "reference/device/state_file.h"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <system_error>
#include <unistd.h>

#include <sys/stat.h>

namespace tigress::device {
namespace {

Error FileError(const std::filesystem::path& path, const std::string& what) {
  return MakeError(Errc::kStateFileInvalid, path.string() + ": " + what);
}

// The rename is durable only once the directory entry is on disk.
Result<void> SyncDirectoryOf(const std::filesystem::path& path) {
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || fsync(fd) != 0) {
    int saved = errno;
    if (fd >= 0) close(fd);
    return FileError(dir, "cannot be synced (" + std::generic_category().message(saved) + ")");
  }
  close(fd);
  return {};
}

}  // namespace

Result<StateFile> LoadStateFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return FileError(path, "cannot be read (" + std::generic_category().message(errno) + ")");
  std::stringstream text;
  text << in.rdbuf();
  Json j = Json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) return FileError(path, "is not JSON");
  auto state = DeviceStateFromJson(j);
  if (!state) return FileError(path, state.error().detail);
  StateFile out{std::move(*state), {}};
  if (!j.contains("caFile") || !j["caFile"].is_string())
    return FileError(path, "caFile: missing or not a string");
  out.ca_file = j["caFile"].get<std::string>();
  return out;
}

// The temporary file gets a fresh random name (mkstemp) next to the target, so
// a file or symlink planted under a guessable name is neither followed nor
// consumed; the directory is fsynced after the rename so that the new entry,
// not only the data, survives a crash.
Result<void> SaveStateFile(const std::filesystem::path& path, const StateFile& file) {
  Json j = DeviceStateToJson(file.state);
  j["caFile"] = file.ca_file;
  std::string text = j.dump(2) + "\n";
  std::string tmp_name = path.string() + ".tmp-XXXXXX";
  int fd = mkostemp(tmp_name.data(), O_CLOEXEC);
  const std::filesystem::path tmp = tmp_name;
  if (fd < 0)
    return FileError(tmp, "cannot be created (" + std::generic_category().message(errno) + ")");
  // mkstemp creates 0600 already; kept explicit because the Secret needs it.
  bool ok = fchmod(fd, 0600) == 0;
  std::size_t written = 0;
  while (ok && written < text.size()) {
    ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<std::size_t>(n);
  }
  ok = ok && fsync(fd) == 0;
  int saved = errno;
  close(fd);
  if (!ok) {
    unlink(tmp.c_str());
    return FileError(tmp, "cannot be written (" + std::generic_category().message(saved) + ")");
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    saved = errno;
    unlink(tmp.c_str());
    return FileError(path, "cannot be replaced (" + std::generic_category().message(saved) + ")");
  }
  return SyncDirectoryOf(path);
}

}  // namespace tigress::device
