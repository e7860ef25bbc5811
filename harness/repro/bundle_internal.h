// File: harness/repro/bundle_internal.h
//
// What the bundle's units (bundle.cc, bundle_info.cc, bundle_writer.cc,
// bundle_reader.cc) share. Internal to harness/repro.
//
//   if (!IsSafeMemberPath(p)) return BundleInvalid("bundle member '" + p + "' ...");
//   return MakeError(Errc::kIoFailure, path + ": " + ArchiveError(a));
#pragma once

#include <string>
#include <string_view>

#include "protocol/result.h"

struct archive;  // libarchive's handle

namespace tigress::harness {

// The member that holds the `BundleInfo`, directly under the top directory.
inline constexpr std::string_view kBundleInfoMember = "bundle.json";

// `BundleInvalid` is a kBundleInvalid error with `what` as its detail.
Error BundleInvalid(const std::string& what);

// `ArchiveError` is libarchive's message for the last failure on `a`.
std::string ArchiveError(archive* a);

}  // namespace tigress::harness
