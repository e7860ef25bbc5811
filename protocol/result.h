// File: protocol/result.h
//
// `Result<T>`: a value or an `Error`, used at every module boundary.
//
//   Result<Bytes> DecodeKey(std::string_view b64);
//   TIGRESS_ASSIGN_OR_RETURN(Bytes key, DecodeKey(text));
//   TIGRESS_RETURN_IF_ERROR(Validate(key));
//
// Build errors with `MakeError` (protocol/errors.h) so that a later move to
// `std::expected` only has to change this header.
#pragma once

#include <boost/system/result.hpp>
#include <stdexcept>

#include "protocol/errors.h"

namespace tigress {

template <class T>
using Result = boost::system::result<T, Error>;

// `ErrorException` is what `Result<T>::value()` throws when it holds an error.
// Only start-up and configuration code may let it escape.
class ErrorException : public std::runtime_error {
 public:
  explicit ErrorException(Error e) : std::runtime_error(e.Message()), error_(std::move(e)) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

// Found by argument-dependent lookup from boost::system::result::value().
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

}  // namespace tigress

#define TIGRESS_CONCAT_INNER_(a, b) a##b
#define TIGRESS_CONCAT_(a, b) TIGRESS_CONCAT_INNER_(a, b)

// Returns the error of `expr` (a Result) from the enclosing function.
#define TIGRESS_RETURN_IF_ERROR(expr)                      \
  do {                                                     \
    auto&& tigress_r_ = (expr);                            \
    if (!tigress_r_) return std::move(tigress_r_).error(); \
  } while (false)

// Declares `lhs` from the value of `rexpr` (a Result) or returns its error.
#define TIGRESS_ASSIGN_OR_RETURN(lhs, rexpr) \
  TIGRESS_ASSIGN_OR_RETURN_IMPL_(TIGRESS_CONCAT_(tigress_result_, __LINE__), lhs, rexpr)
#define TIGRESS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                   \
  if (!tmp) return std::move(tmp).error();              \
  lhs = std::move(*tmp)
