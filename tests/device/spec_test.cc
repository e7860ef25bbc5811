// --spec on the device side: every request uses the header names of the
// configured revision, and the adapter's hello reports it.
#include <set>

#include <gtest/gtest.h>

#include "reference/device/adapter.h"
#include "reference/device/device.h"
#include "reference/device/exchange.h"
#include "tests/device/fake_relay.h"

// A namespace of its own: the ci preset's unity build joins this file with
// device_test.cc and adapter_test.cc, which have helpers of the same names.
namespace tigress::device::spec_test {
namespace {

using testing::FakeFactory;
using testing::FakeRelay;
using testing::FakeTransport;

bool Has(const HttpRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return true;
  }
  return false;
}

ProvisioningInfo Info(const std::string& msg) {
  ProvisioningInfo p;
  p.format = "digitalwallet.carkey.ccc";
  p.content = Json{{"msg", msg}};
  return p;
}

ShareParams AttestedShare() {
  ShareParams p;
  p.info = Info("message 1");
  p.display = DisplayInformation{"Car key", "A key", "https://example.com/car.png"};
  p.expiration = "2030-01-01T00:00:00Z";
  p.attest = true;
  return p;
}

class DeviceSpecTest : public ::testing::Test {
 protected:
  DeviceOptions Options(Revision r) {
    DeviceOptions o;
    o.revision = r;
    o.relay_base_url = relay_.base();
    o.sleep = [](std::chrono::milliseconds) {};
    return o;
  }
  // A whole share in revision `r` against a fake relay reading `r`'s names:
  // create, read, update, read, relinquish, read (rebind), delete.
  void WalkAShare(Revision r) {
    relay_.revision = r;
    Device init(init_transport_, Options(r), init_memory_);
    Device recip(recip_transport_, Options(r), recip_memory_);
    ShareResult s = init.Share(AttestedShare()).value();
    AcceptParams a;
    a.share_url = s.share_url;
    a.attest = true;
    ASSERT_TRUE(recip.Accept(a));
    ASSERT_TRUE(recip.Send(Info("reply")));
    EXPECT_EQ(init.Receive().value(), Info("reply"));
    ASSERT_TRUE(recip.Relinquish());
    ASSERT_TRUE(init.Close());
  }

  FakeRelay relay_;
  FakeTransport init_transport_{relay_};
  FakeTransport recip_transport_{relay_};
  FaultMemory init_memory_;
  FaultMemory recip_memory_;
};

TEST_F(DeviceSpecTest, UnderSct04EveryRequestCarriesDeviceClaimAndNeverMailboxDeviceClaim) {
  WalkAShare(Revision::kSct04);
  std::set<std::string> methods;
  for (const HttpRequest& r : relay_.requests) {
    SCOPED_TRACE(r.method + " " + r.url);
    methods.insert(r.method);
    EXPECT_TRUE(Has(r, "Device-Claim"));
    EXPECT_TRUE(Has(r, "Device-Attestation"));
    EXPECT_TRUE(Has(r, "Mailbox-Request-ID"));  // sct-04 §5.1: on every request
    EXPECT_FALSE(Has(r, "Mailbox-Device-Claim"));
    EXPECT_FALSE(Has(r, "Mailbox-Device-Attestation"));
  }
  EXPECT_EQ(methods, (std::set<std::string>{"POST", "PUT", "PATCH", "DELETE"}));
}

TEST_F(DeviceSpecTest, UnderHttp00EveryRequestCarriesMailboxDeviceClaimAsBefore) {
  WalkAShare(Revision::kHttp00);
  ASSERT_FALSE(relay_.requests.empty());
  for (const HttpRequest& r : relay_.requests) {
    SCOPED_TRACE(r.method + " " + r.url);
    EXPECT_TRUE(Has(r, "Mailbox-Device-Claim"));
    EXPECT_TRUE(Has(r, "Mailbox-Device-Attestation"));
    EXPECT_FALSE(Has(r, "Device-Claim"));
    EXPECT_FALSE(Has(r, "Device-Attestation"));
  }
}

TEST_F(DeviceSpecTest, ARelayReadingTheOtherRevisionFindsNoClaim) {
  relay_.revision = Revision::kSct04;
  Device init(init_transport_, Options(Revision::kHttp00), init_memory_);
  auto s = init.Share(AttestedShare());
  ASSERT_FALSE(s);
  EXPECT_TRUE(s.error().Is(Errc::kRelayRefused)) << s.error().Message();
  EXPECT_EQ(RelayStatus(s.error()), 400);
  EXPECT_TRUE(relay_.mailboxes.empty());
}

Json Call(AdapterSession& s, const std::string& method, Json params = Json::object()) {
  Json request{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", std::move(params)}};
  return Json::parse(s.HandleLine(request.dump()));
}

TEST(AdapterSpecTest, HelloReportsTheRevisionItSpeaks) {
  FakeRelay relay;
  for (const RevisionInfo& r : AllRevisions()) {
    AdapterOptions o;
    o.revision = r.id;
    AdapterSession s(FakeFactory(relay), o);
    EXPECT_EQ(Call(s, "hello")["result"]["spec"], std::string(r.name));
  }
  AdapterSession by_default(FakeFactory(relay), {});
  EXPECT_EQ(Call(by_default, "hello")["result"]["spec"], "http-00");
}

TEST(AdapterSpecTest, AConfiguredSct04AdapterSharesWithDeviceClaim) {
  FakeRelay relay;
  relay.revision = Revision::kSct04;
  AdapterOptions o;
  o.revision = Revision::kSct04;
  AdapterSession s(FakeFactory(relay), o);
  ASSERT_EQ(Call(s, "configure", {{"caFile", "/ca.pem"}, {"relayBaseUrl", relay.base()}})["result"],
            Json::object());
  Json share = Call(s, "initiator.share",
                    {{"provisioningInfo", {{"format", "f"}, {"content", Json::object()}}},
                     {"displayInformation",
                      {{"title", "t"}, {"description", "d"}, {"imageURL", "https://e.test/i"}}},
                     {"expiration", "2030-01-01T00:00:00Z"}});
  ASSERT_TRUE(share.contains("result")) << share.dump();
  ASSERT_EQ(relay.requests.size(), 1u);
  EXPECT_TRUE(Has(relay.requests[0], "Device-Claim"));
  EXPECT_FALSE(Has(relay.requests[0], "Mailbox-Device-Claim"));
}

}  // namespace
}  // namespace tigress::device::spec_test
