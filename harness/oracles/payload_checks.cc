// File: harness/oracles/payload_checks.cc
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <set>

#include "harness/oracles/oracle_checks.h"

namespace tigress::harness {
namespace {

constexpr std::size_t kMinSecretOctets = 16;
constexpr double kBalanceSigmas = 5.0;
// The expected number of chance matches a rule may have over one list of
// random keys.
const double kChanceBudget = std::ldexp(1.0, -16);

std::string Sci(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1e", x);
  return buf;
}

std::string Fixed(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  return buf;
}

std::string Octets(std::size_t n) { return std::to_string(n) + (n == 1 ? " octet" : " octets"); }

// The chance that a random key of `n` octets holds a run of `len` equal
// octets somewhere (union bound).
double RunChance(std::size_t n, std::size_t len) {
  return n < len
             ? 0.0
             : static_cast<double>(n - len + 1) * std::ldexp(1.0, -8 * (static_cast<int>(len) - 1));
}

// The chance that two random keys, the shorter of `n` octets, hold the same
// `len` octets at one offset (union bound).
double SharedChance(std::size_t n, std::size_t len) {
  return n < len ? 0.0
                 : static_cast<double>(n - len + 1) * std::ldexp(1.0, -8 * static_cast<int>(len));
}

// The least length from 4 on at which `expected(len)` is within the budget.
std::size_t LeastLength(const std::function<double(std::size_t)>& expected) {
  std::size_t len = 4;
  while (len < 64 && expected(len) > kChanceBudget) {
    ++len;
  }
  return len;
}

// The longest stretch of offsets `i` below `n` where `same(i)` holds: its
// first offset and its length.
std::pair<std::size_t, std::size_t> LongestStretch(std::size_t n,
                                                   const std::function<bool(std::size_t)>& same) {
  std::pair<std::size_t, std::size_t> best{0, 0};
  std::size_t start = 0;
  for (std::size_t i = 0; i <= n; ++i) {
    if (i < n && same(i)) {
      continue;
    }
    if (i - start > best.second) {
      best = {start, i - start};
    }
    start = i + 1;
  }
  return best;
}

// The longest run of equal octets in `a`.
std::pair<std::size_t, std::size_t> LongestRun(ByteView a) {
  if (a.empty()) {
    return {0, 0};
  }
  // Offset i > 0 continues the run when it equals the octet before it.
  auto [at, len] = LongestStretch(a.size() - 1, [&](std::size_t i) { return a[i + 1] == a[i]; });
  return {at, len + 1};
}

// The longest stretch of offsets at which `a` and `b` hold the same octets.
std::pair<std::size_t, std::size_t> LongestAgreement(ByteView a, ByteView b) {
  return LongestStretch(std::min(a.size(), b.size()), [&](std::size_t i) { return a[i] == b[i]; });
}

// One judgement of a list of Secrets: the rules report through `Fail`,
// each capped at kMaxFindingsPerCheck.
struct QualityJudge {
  std::span<const ShareSecret> shares;
  std::vector<std::size_t> distinct;  // index of each Secret's first share
  std::vector<Finding> out;
  std::map<std::string, std::size_t> failures;  // rule -> violations found

  const Bytes& SecretAt(std::size_t i) const { return shares[i].secret; }

  void Fail(const std::string& rule, const std::string& message, std::string actual) {
    if (++failures[rule] <= kMaxFindingsPerCheck) {
      out.push_back({"secret-quality", "PAYLOAD-15", false, "rule " + rule + ": " + message,
                     "a fresh key of at least 128 bits from a strong RNG", std::move(actual)});
    }
  }
};

void RuleIdentical(QualityJudge& j) {
  std::map<Bytes, std::size_t> first;
  for (std::size_t i = 0; i < j.shares.size(); ++i) {
    auto [it, fresh] = first.emplace(j.SecretAt(i), i);
    if (fresh) {
      j.distinct.push_back(i);
    } else {
      j.Fail("identical",
             j.shares[i].label + " equals " + j.shares[it->second].label + ": one Secret of " +
                 Octets(j.SecretAt(i).size()) + " for two shares",
             "one Secret on two shares");
    }
  }
}

void RuleShort(QualityJudge& j) {
  for (std::size_t i : j.distinct) {
    const std::size_t n = j.SecretAt(i).size();
    if (n < kMinSecretOctets) {
      j.Fail("short",
             j.shares[i].label + " has " + Octets(n) + " (" + std::to_string(8 * n) +
                 " bits), fewer than 16 (128 bits)",
             Octets(n));
    }
  }
}

// Returns the run length judged.
std::size_t RuleRepeatedOctets(QualityJudge& j) {
  const std::size_t run = LeastLength([&](std::size_t len) {
    double sum = 0;
    for (std::size_t i : j.distinct) sum += RunChance(j.SecretAt(i).size(), len);
    return sum;
  });
  for (std::size_t i : j.distinct) {
    const ByteView s = j.SecretAt(i);
    if (auto [at, len] = LongestRun(s); len >= run) {
      j.Fail("repeated-octets",
             j.shares[i].label + " holds a run of " + std::to_string(len) +
                 " equal octets at offset " + std::to_string(at) + " of its " + Octets(s.size()) +
                 " (chance for a random key about " + Sci(RunChance(s.size(), len)) + ")",
             "a run of " + std::to_string(len) + " equal octets");
    }
  }
  return run;
}

// Returns the shared length judged.
std::size_t RuleSharedSubstring(QualityJudge& j) {
  const auto& d = j.distinct;
  const std::size_t sub = LeastLength([&](std::size_t len) {
    double sum = 0;
    for (std::size_t x = 0; x < d.size(); ++x) {
      for (std::size_t y = x + 1; y < d.size(); ++y) {
        sum += SharedChance(std::min(j.SecretAt(d[x]).size(), j.SecretAt(d[y]).size()), len);
      }
    }
    return sum;
  });
  for (std::size_t x = 0; x < d.size(); ++x) {
    for (std::size_t y = x + 1; y < d.size(); ++y) {
      const ByteView a = j.SecretAt(d[x]);
      const ByteView b = j.SecretAt(d[y]);
      if (auto [at, len] = LongestAgreement(a, b); len >= sub) {
        j.Fail("shared-substring",
               j.shares[d[x]].label + " and " + j.shares[d[y]].label + " hold the same " +
                   Octets(len) + " at offset " + std::to_string(at) +
                   " (chance for random keys about " +
                   Sci(SharedChance(std::min(a.size(), b.size()), len)) + ")",
               "the same " + Octets(len) + " at one offset in two Secrets");
      }
    }
  }
  return sub;
}

struct BitCount {
  std::size_t bits = 0;
  std::size_t ones = 0;
  bool checked = false;  // enough bits to judge
};

BitCount RuleBitBalance(QualityJudge& j) {
  BitCount c;
  for (std::size_t i : j.distinct) {
    c.bits += 8 * j.SecretAt(i).size();
    for (std::uint8_t o : j.SecretAt(i)) c.ones += static_cast<std::size_t>(std::popcount(o));
  }
  c.checked = c.bits >= 8 * kMinSecretOctets;
  const double deviation = static_cast<double>(c.ones) - static_cast<double>(c.bits) / 2;
  const double limit = kBalanceSigmas * std::sqrt(static_cast<double>(c.bits)) / 2;
  if (c.checked && std::abs(deviation) > limit) {
    j.Fail("bit-balance",
           std::to_string(c.ones) + " one bits in the " + std::to_string(c.bits) + " bits of " +
               std::to_string(j.distinct.size()) +
               " distinct Secret(s): " + Fixed(std::abs(deviation)) +
               " from half, more than 5 standard deviations (" + Fixed(limit) + ")",
           std::to_string(c.ones) + " of " + std::to_string(c.bits) + " bits set");
  }
  return c;
}

std::string PassMessage(const QualityJudge& j, std::size_t run, std::size_t sub,
                        const BitCount& c) {
  std::size_t shortest = std::numeric_limits<std::size_t>::max();
  std::size_t longest = 0;
  for (std::size_t i : j.distinct) {
    shortest = std::min(shortest, j.SecretAt(i).size());
    longest = std::max(longest, j.SecretAt(i).size());
  }
  std::string msg = std::to_string(j.shares.size()) + " Secret(s) of " +
                    (shortest == longest ? Octets(shortest)
                                         : std::to_string(shortest) + " to " + Octets(longest)) +
                    ": none shorter than 16 octets, none on two shares, no run of " +
                    std::to_string(run) + " equal octets";
  if (j.distinct.size() > 1) {
    msg += ", no " + std::to_string(sub) + " octets shared at one offset";
  }
  msg += c.checked
             ? ", " + std::to_string(c.ones) + " of " + std::to_string(c.bits) +
                   " bits set (within 5 standard deviations of half)"
             : ", bit balance not computed (" + std::to_string(c.bits) + " bits, fewer than 128)";
  return msg;
}

}  // namespace

std::vector<Finding> SecretQualityFindings(std::span<const Bytes> secrets) {
  std::vector<ShareSecret> named;
  named.reserve(secrets.size());
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    named.push_back({secrets[i], "Secret #" + std::to_string(i + 1)});
  }
  return SecretQualityFindings(std::span<const ShareSecret>(named));
}

std::vector<Finding> SecretQualityFindings(std::span<const ShareSecret> shares) {
  if (shares.empty()) {
    return {};
  }
  QualityJudge j{shares, {}, {}, {}};
  RuleIdentical(j);  // also lists the distinct Secrets the other rules look at once
  RuleShort(j);
  const std::size_t run = RuleRepeatedOctets(j);
  const std::size_t sub = RuleSharedSubstring(j);
  const BitCount bits = RuleBitBalance(j);
  if (j.failures.empty()) {
    const std::string expected = "a fresh key of at least 128 bits from a strong RNG";
    j.out.push_back(
        {"secret-quality", "PAYLOAD-15", true, PassMessage(j, run, sub, bits), expected, expected});
  }
  return std::move(j.out);
}

std::vector<ShareSecret> ShareSecrets(const OracleInput& in) {
  if (in.transcript == nullptr || in.secrets.empty()) {
    return {};
  }
  return ShareSecrets(BuildOracleContext(in));
}

std::vector<ShareSecret> ShareSecrets(const OracleContext& ctx) {
  std::vector<ShareSecret> out;
  std::set<std::string> boxes;
  for (std::size_t i = 0; i < ctx.ex.size(); ++i) {
    const ExchangeFacts& f = ctx.ex[i];
    if (!f.is_create || !f.ok) {
      continue;
    }
    if (f.mailbox.empty() || f.mailbox == "m" || !boxes.insert(f.mailbox).second) {
      continue;  // no urlLink, or a retried create answered with its mailbox
    }
    if (f.body.is_discarded()) {
      continue;
    }
    if (auto k = OpeningSecret(ctx.in->secrets, f.body)) {
      out.push_back({ctx.in->secrets[*k], "the Secret of mailbox " + f.mailbox.substr(0, 8) +
                                              "… (created at exchange #" + std::to_string(i + 1) +
                                              ")"});
    }
  }
  return out;
}

void CheckSecretQuality(const OracleContext& ctx, Findings& out) {
  // secret-quality caps each rule itself.
  if (!ctx.in->secrets.empty()) {
    out.Append(SecretQualityFindings(ShareSecrets(ctx)));
  }
}

}  // namespace tigress::harness
