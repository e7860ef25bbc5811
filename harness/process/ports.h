// File: harness/process/ports.h
//
// Everything about the loopback TCP ports the harness hands to the relays it
// starts: choosing a free one, reading the port a relay reports on its ready
// line, probing whether something accepts on a port, and recognising a relay
// that lost the race for its port.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/result.h"

namespace tigress::harness {

// `FreeLoopbackPort` asks the OS for a free TCP port on 127.0.0.1. The harness
// never hands out the same port twice in one run. Errors: kProcessStartFailed.
Result<int> FreeLoopbackPort();

// `PortAfterToken` is the first run of decimal digits after `token` in `line`
// when `line` starts with `token` and the number is 1..65535 ("READY 43817"
// with token "READY" gives 43817); nullopt otherwise.
std::optional<int> PortAfterToken(const std::string& line, const std::string& token);

// `LoopbackAccepts` is true when a TCP connect to 127.0.0.1:`port` succeeds
// now (the connection is closed at once).
bool LoopbackAccepts(int port);

// `MentionsAddressInUse` is true when `text` (a stderr tail) contains
// "Address already in use" or "EADDRINUSE", in any case.
bool MentionsAddressInUse(std::string_view text);

}  // namespace tigress::harness
