#include "harness/kat/kat_backend.h"

#include <stdexcept>

namespace tigress::kat {

[[noreturn]] void throw_exception_from_error(const BackendError& e,
                                             const boost::source_location& /*loc*/) {
  throw std::runtime_error("backend error: " + e.token + ": " + e.detail);
}

BackendError Rejected(std::string token, std::string detail) {
  return {BackendError::Kind::kRejected, std::move(token), std::move(detail)};
}

BackendError Unsupported(std::string detail) {
  return {BackendError::Kind::kUnsupported, {}, std::move(detail)};
}

BackendError Broken(std::string detail) {
  return {BackendError::Kind::kBroken, {}, std::move(detail)};
}

BackendResult<std::string> KatBackend::ShareUrlStripFragment(std::string_view /*url*/) {
  return Unsupported(Name() + " does not offer fragment stripping");
}

BackendResult<nlohmann::json> KatBackend::MessageParse(const MessageRequest& /*req*/) {
  return Unsupported(Name() + " does not offer message parsing");
}

}  // namespace tigress::kat
