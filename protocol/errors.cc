#include "protocol/errors.h"

#include <boost/assert/source_location.hpp>

#include "protocol/result.h"

namespace tigress {
namespace {

class TigressCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "tigress"; }
  std::string message(int value) const override {
    switch (static_cast<Errc>(value)) {
#define X(name, v, token, msg) \
  case Errc::k##name:          \
    return msg;
#include "protocol/errors.def"
#undef X
    }
    return "unknown tigress error " + std::to_string(value);
  }
};

}  // namespace

const std::error_category& ErrorCategory() {
  static const TigressCategory category;
  return category;
}

std::error_code make_error_code(Errc e) { return {static_cast<int>(e), ErrorCategory()}; }

std::string_view ErrcToken(Errc e) {
  switch (e) {
#define X(name, v, token, msg) \
  case Errc::k##name:          \
    return token;
#include "protocol/errors.def"
#undef X
  }
  return "unknown";
}

std::string_view Error::Token() const {
  if (code.category() != ErrorCategory()) return "system";
  return ErrcToken(static_cast<Errc>(code.value()));
}

std::string Error::Message() const {
  std::string out(Token());
  out += ": ";
  out += detail.empty() ? code.message() : detail;
  return out;
}

Error MakeError(Errc e, std::string detail) { return Error{make_error_code(e), std::move(detail)}; }

void throw_exception_from_error(const Error& e, const boost::source_location& /*loc*/) {
  throw ErrorException(e);
}

}  // namespace tigress
