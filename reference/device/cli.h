// File: reference/device/cli.h
//
// The `tigress-device` command line (docs/device.md): subcommands share,
// accept, send, receive, close, relinquish (a human walking a share by hand,
// state kept in a 0600 state file) and adapter (the JSON-RPC stdio contract).
//
// Exit codes: 0 success, 1 the device, relay or peer failed (the contract's
// error code and token on stderr), 2 usage or configuration error, 3 no new
// message (receive).
#pragma once

namespace tigress::device {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNoNewMessage = 3;

// `RunDeviceCli` parses `argv` and runs one subcommand.
int RunDeviceCli(int argc, char** argv);

}  // namespace tigress::device
