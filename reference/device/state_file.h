// File: reference/device/state_file.h
//
// The CLI's state file: one JSON object that lets `share`, `accept`, `send`,
// `receive`, `close` and `relinquish` continue one share across invocations.
// It holds the Secret and the claim, so it is created with mode 0600 (and
// re-set to 0600 when it already existed) and replaced atomically.
//
//   StateFile f{device.state(), "ca.pem"};
//   SaveStateFile("share.json", f);
//   StateFile back = LoadStateFile("share.json").value();
#pragma once

#include <filesystem>
#include <string>

#include "reference/device/device.h"

namespace tigress::device {

struct StateFile {
  DeviceState state;
  std::string ca_file;  // the trust anchor the share was started with
};

// `LoadStateFile` reads and validates a state file. Errors: kStateFileInvalid
// naming the path and what is wrong.
Result<StateFile> LoadStateFile(const std::filesystem::path& path);

// `SaveStateFile` writes `file` through a 0600 temporary file with an
// unpredictable name in the same directory, renamed over `path`, then fsyncs
// the directory. Errors: kStateFileInvalid naming the path and the system error.
Result<void> SaveStateFile(const std::filesystem::path& path, const StateFile& file);

}  // namespace tigress::device
