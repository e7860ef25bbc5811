#include "reference/relay/mailbox_quota.h"

#include <gtest/gtest.h>

namespace tigress::relay {
namespace {

using namespace std::chrono_literals;

const SysSeconds kQuotaNow = std::chrono::floor<std::chrono::seconds>(
    std::chrono::sys_days{std::chrono::year{2026} / 11 / 28} + 12h);

Mailbox Box(std::string id, std::string claim, std::size_t data = 10,
            SysSeconds expiration = kQuotaNow + 1h) {
  Mailbox m;
  m.id = std::move(id);
  m.initiator_claim = std::move(claim);
  m.payload.type = "T";
  m.payload.data = std::string(data, 'x');
  m.expiration = expiration;
  return m;
}

TEST(MailboxQuota, CountsLiveMailboxesPerClaim) {
  MailboxQuota quota({.per_claim = 2, .mailboxes = 10, .bytes = 1000});
  EXPECT_EQ(quota.Reserve(Box("a", "c1"), kQuotaNow), QuotaVerdict::kAdmitted);
  EXPECT_EQ(quota.Reserve(Box("b", "c1"), kQuotaNow), QuotaVerdict::kAdmitted);
  EXPECT_EQ(quota.Reserve(Box("c", "c1"), kQuotaNow), QuotaVerdict::kClaimFull);
  EXPECT_EQ(quota.Reserve(Box("d", "c2"), kQuotaNow), QuotaVerdict::kAdmitted);
  quota.Release("a");
  EXPECT_EQ(quota.Reserve(Box("c", "c1"), kQuotaNow), QuotaVerdict::kAdmitted);
  EXPECT_EQ(quota.mailboxes(), 3u);
}

TEST(MailboxQuota, ForgetsMailboxesFromTheirExpirationInstantOn) {
  MailboxQuota quota({.per_claim = 1, .mailboxes = 10, .bytes = 1000});
  EXPECT_EQ(quota.Reserve(Box("a", "c", 10, kQuotaNow + 5s), kQuotaNow), QuotaVerdict::kAdmitted);
  EXPECT_EQ(quota.Reserve(Box("b", "c"), kQuotaNow + 4s), QuotaVerdict::kClaimFull);
  EXPECT_EQ(quota.Reserve(Box("b", "c"), kQuotaNow + 5s), QuotaVerdict::kAdmitted);
  quota.Expire(kQuotaNow + 2h);
  EXPECT_EQ(quota.mailboxes(), 0u);
  EXPECT_EQ(quota.bytes(), 0u);
}

TEST(MailboxQuota, RefusesBeyondTheTotalCountOrSize) {
  MailboxQuota count({.per_claim = 10, .mailboxes = 1, .bytes = 1000});
  EXPECT_EQ(count.Reserve(Box("a", "c1"), kQuotaNow), QuotaVerdict::kAdmitted);
  EXPECT_EQ(count.Reserve(Box("b", "c2"), kQuotaNow), QuotaVerdict::kStoreFull);
  std::size_t one = MailboxBytes(Box("a", "c1"));
  MailboxQuota size({.per_claim = 10, .mailboxes = 10, .bytes = 2 * one});
  EXPECT_EQ(size.Reserve(Box("a", "c1"), kQuotaNow), QuotaVerdict::kAdmitted);
  EXPECT_EQ(size.Reserve(Box("b", "c1"), kQuotaNow), QuotaVerdict::kAdmitted);
  EXPECT_EQ(size.Reserve(Box("c", "c1", 1), kQuotaNow), QuotaVerdict::kStoreFull);
  EXPECT_EQ(size.bytes(), 2 * one);
}

TEST(MailboxQuota, AnUpdateFitsOnlyIfTheNewPayloadKeepsTheTotalWithinTheLimit) {
  std::size_t one = MailboxBytes(Box("a", "c", 10));
  MailboxQuota quota({.per_claim = 10, .mailboxes = 10, .bytes = one + 5});
  ASSERT_EQ(quota.Reserve(Box("a", "c", 10), kQuotaNow), QuotaVerdict::kAdmitted);
  EXPECT_TRUE(quota.Fits("a", PayloadBytes(Box("a", "c", 15).payload)));
  EXPECT_FALSE(quota.Fits("a", PayloadBytes(Box("a", "c", 16).payload)));
  EXPECT_TRUE(quota.Fits("unknown", 1'000'000)) << "created before a restart: not tracked";
  quota.Resize("a", PayloadBytes(Box("a", "c", 2).payload));
  EXPECT_EQ(quota.bytes(), one - 8);
}

TEST(MailboxQuota, ReleasingAnUnknownIdChangesNothing) {
  MailboxQuota quota({.per_claim = 1, .mailboxes = 1, .bytes = 1000});
  ASSERT_EQ(quota.Reserve(Box("a", "c"), kQuotaNow), QuotaVerdict::kAdmitted);
  quota.Release("zzz");
  EXPECT_EQ(quota.mailboxes(), 1u);
  EXPECT_EQ(quota.Reserve(Box("a", "c2"), kQuotaNow), QuotaVerdict::kStoreFull) << "same id twice";
}

}  // namespace
}  // namespace tigress::relay
