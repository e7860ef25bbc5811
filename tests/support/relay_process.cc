#include "tests/support/relay_process.h"

#include <csignal>
#include <fstream>
#include <sstream>

#include "harness/process/supervisor.h"
#include "tests/support/scratch_dir.h"

namespace tigress::test_support {
namespace {

using harness::Process;
using harness::ProcessSpec;
using harness::ReadySpec;

ProcessSpec SpecFor(const std::vector<std::string>& argv) {
  ProcessSpec spec;
  spec.name = argv.empty() ? "" : std::filesystem::path(argv.front()).filename().string();
  spec.argv = argv;
  // The callers pass paths relative to where the test runs, as before the
  // supervisor required a working directory.
  spec.workdir = std::filesystem::current_path();
  // Tests kill what they leave running; a graceful stop would only slow them.
  spec.grace = std::chrono::milliseconds(0);
  return spec;
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Result<PkiFiles> PkiFiles::Write(const std::filesystem::path& dir) {
  TIGRESS_ASSIGN_OR_RETURN(pki::TestPki made, pki::MakeTestPki());
  PkiFiles files{made, (dir / "ca.pem").string(), (dir / "cert.pem").string(),
                 (dir / "key.pem").string()};
  for (auto [path, text] :
       {std::pair{&files.ca, &made.ca_cert_pem}, std::pair{&files.cert, &made.server_cert_pem},
        std::pair{&files.key, &made.server_key_pem}}) {
    std::ofstream out(*path, std::ios::binary);
    out << *text;
    if (!out) return MakeError(Errc::kTransportFailure, "cannot write " + *path);
  }
  return files;
}

ChildProcess::ChildProcess(std::unique_ptr<Process> process, int port, std::string ready_line)
    : process_(std::move(process)), port_(port), ready_line_(std::move(ready_line)) {}

ChildProcess::~ChildProcess() = default;  // Process::~Process stops the group

Result<std::unique_ptr<ChildProcess>> ChildProcess::StartAndWaitReady(
    const std::vector<std::string>& argv, const std::filesystem::path& log_file,
    std::chrono::milliseconds timeout) {
  ProcessSpec spec = SpecFor(argv);
  spec.stderr_path = log_file;
  spec.stdout_path = log_file;
  spec.ready = ReadySpec{
      .kind = ReadySpec::Kind::kStdout, .token = "READY", .timeout = timeout, .reports_port = true};
  TIGRESS_ASSIGN_OR_RETURN(std::unique_ptr<Process> process, Process::Start(spec));
  TIGRESS_RETURN_IF_ERROR(process->WaitReady());
  const int port = process->ReportedPort().value_or(0);
  std::string line = process->ReadyLine().value_or("");
  return std::unique_ptr<ChildProcess>(new ChildProcess(std::move(process), port, line));
}

Result<std::pair<int, std::string>> ChildProcess::Run(const std::vector<std::string>& argv,
                                                      std::chrono::milliseconds timeout) {
  ScratchDir out("tigress-run");
  ProcessSpec spec = SpecFor(argv);
  spec.stdout_path = out.path() / "stdout";
  spec.stderr_path = out.path() / "stderr";
  TIGRESS_ASSIGN_OR_RETURN(std::unique_ptr<Process> process, Process::Start(spec));
  process->WaitExit(timeout);
  process->Stop();  // kills it after the timeout; joins the stdout copier either way
  const int code = process->ExitCode().value_or(-1);
  return std::make_pair(code, ReadAll(spec.stdout_path) + ReadAll(spec.stderr_path));
}

int ChildProcess::pid() const { return process_->pid(); }

void ChildProcess::Signal(int sig) {
  if (process_->Running()) ::kill(process_->pid(), sig);
}

Result<int> ChildProcess::WaitExit(std::chrono::milliseconds timeout) {
  if (!process_->WaitExit(timeout)) {
    return MakeError(Errc::kTransportFailure, process_->spec().name + " did not exit within " +
                                                  std::to_string(timeout.count()) + " ms");
  }
  return process_->ExitCode().value_or(-1);
}

}  // namespace tigress::test_support
