#include "reference/relay/testing/relay_process.h"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <signal.h>
#include <thread>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

namespace tigress::relay::testing {
namespace {

Error Transport(std::string detail) {
  return MakeError(Errc::kTransportFailure, std::move(detail));
}

std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) return "exited with " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "stopped";
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Waits for `pid` up to `timeout`; returns its raw status or nullopt.
std::optional<int> WaitPid(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  // A pidfd becomes readable when the process exits, so the wait is an event.
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || r < 0) {
      if (pidfd >= 0) close(pidfd);
      if (r == pid) return status;
      return std::nullopt;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      if (pidfd >= 0) close(pidfd);
      return std::nullopt;
    }
    if (pidfd >= 0) {
      pollfd pfd{pidfd, POLLIN, 0};
      poll(&pfd, 1, static_cast<int>(left.count()));
    } else {
      // Kernels without pidfd_open: fall back to a fine-grained bounded poll.
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

struct Spawned {
  pid_t pid;
  int out_fd;
};

Result<Spawned> Spawn(const std::vector<std::string>& argv, int stderr_fd, bool merge_stderr) {
  if (argv.empty()) return Transport("spawn: empty argv");
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return Transport("spawn: pipe failed");
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return Transport("spawn: fork failed");
  }
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    if (merge_stderr) {
      dup2(pipe_fds[1], STDERR_FILENO);
    } else if (stderr_fd >= 0) {
      dup2(stderr_fd, STDERR_FILENO);
    }
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  return Spawned{pid, pipe_fds[0]};
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/tigress-relay-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) std::abort();
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Result<PkiFiles> PkiFiles::Write(const std::filesystem::path& dir) {
  TIGRESS_ASSIGN_OR_RETURN(pki::TestPki made, pki::MakeTestPki());
  PkiFiles files{made, (dir / "ca.pem").string(), (dir / "cert.pem").string(),
                 (dir / "key.pem").string()};
  for (auto [path, text] :
       {std::pair{&files.ca, &made.ca_cert_pem}, std::pair{&files.cert, &made.server_cert_pem},
        std::pair{&files.key, &made.server_key_pem}}) {
    std::ofstream out(*path, std::ios::binary);
    out << *text;
    if (!out) return Transport("cannot write " + *path);
  }
  return files;
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::StartAndWaitReady(
    const std::vector<std::string>& argv, const std::filesystem::path& stderr_file,
    std::chrono::milliseconds timeout) {
  int err_fd = open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  auto spawned = Spawn(argv, err_fd, false);
  if (err_fd >= 0) close(err_fd);
  if (!spawned) return spawned.error();
  std::unique_ptr<ChildProcess> child(new ChildProcess(spawned->pid, 0));
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool ready = false;
  while (!ready) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd pfd{spawned->out_fd, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) break;
    char c;
    ssize_t n = read(spawned->out_fd, &c, 1);
    if (n <= 0) break;  // EOF: the process closed stdout (probably exited)
    if (c == '\n') {
      if (line.rfind("READY ", 0) == 0) {
        child->port_ = std::atoi(line.c_str() + 6);
        child->ready_line_ = line;
        ready = child->port_ > 0;
      }
      line.clear();
    } else {
      line += c;
    }
  }
  close(spawned->out_fd);
  if (!ready) {
    if (auto status = WaitPid(child->pid_, std::chrono::milliseconds(200))) {
      child->reaped_ = true;
      return Transport(argv[0] + " " + DescribeStatus(*status) +
                       " before printing READY (stderr: " + stderr_file.string() + ")");
    }
    return Transport(argv[0] + " printed no READY line within " + std::to_string(timeout.count()) +
                     " ms");
  }
  return child;
}

Result<std::pair<int, std::string>> ChildProcess::Run(const std::vector<std::string>& argv,
                                                      std::chrono::milliseconds timeout) {
  TIGRESS_ASSIGN_OR_RETURN(Spawned s, Spawn(argv, -1, true));
  std::string output;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd pfd{s.out_fd, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) break;
    char buf[4096];
    ssize_t n = read(s.out_fd, buf, sizeof buf);
    if (n <= 0) break;
    output.append(buf, static_cast<std::size_t>(n));
  }
  close(s.out_fd);
  std::optional<int> status = WaitPid(s.pid, std::chrono::milliseconds(2000));
  if (!status) {
    kill(s.pid, SIGKILL);
    status = WaitPid(s.pid, std::chrono::milliseconds(2000));
    if (!status) return Transport(argv[0] + " could not be reaped");
  }
  return std::make_pair(ExitCode(*status), output);
}

ChildProcess::~ChildProcess() {
  if (reaped_) return;
  kill(pid_, SIGKILL);
  WaitPid(pid_, std::chrono::seconds(5));
}

void ChildProcess::Signal(int sig) {
  if (!reaped_) kill(pid_, sig);
}

Result<int> ChildProcess::WaitExit(std::chrono::milliseconds timeout) {
  if (reaped_) return Transport("process already reaped");
  std::optional<int> status = WaitPid(pid_, timeout);
  if (!status)
    return Transport("process did not exit within " + std::to_string(timeout.count()) + " ms");
  reaped_ = true;
  return ExitCode(*status);
}

std::optional<std::string> HttpResult::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return v;
    }
  }
  return std::nullopt;
}

namespace {

std::size_t WriteBody(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

std::size_t WriteHeader(char* data, std::size_t size, std::size_t n, void* user) {
  std::string_view line(data, size * n);
  auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
  if (line.rfind("HTTP/", 0) == 0) headers->clear();  // a new response (e.g. after 100)
  std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    headers->emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * n;
}

}  // namespace

HttpsClient::HttpsClient(std::string ca_pem)
    : ca_pem_(std::move(ca_pem)), curl_(curl_easy_init()) {}

HttpsClient::~HttpsClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

Result<HttpResult> HttpsClient::Send(
    const std::string& method, const std::string& url,
    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
  CURL* h = static_cast<CURL*>(curl_);
  if (h == nullptr) return Transport("curl_easy_init failed");
  curl_easy_reset(h);
  HttpResult result;
  curl_blob blob{ca_pem_.data(), ca_pem_.size(), CURL_BLOB_COPY};
  curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
  curl_easy_setopt(h, CURLOPT_CAPATH, nullptr);
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 15000L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  if (method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (!body.empty() || method == "POST" || method == "PUT") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  struct curl_slist* list = curl_slist_append(nullptr, "Expect:");
  if (!body.empty()) list = curl_slist_append(list, "Content-Type: application/json");
  for (const auto& [k, v] : headers) list = curl_slist_append(list, (k + ": " + v).c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &WriteHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &result.headers);
  CURLcode rc = curl_easy_perform(h);
  curl_slist_free_all(list);
  if (rc != CURLE_OK) return Transport(method + " " + url + ": " + curl_easy_strerror(rc));
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &result.status);
  return result;
}

namespace {

SSL* AsSsl(void* p) { return static_cast<SSL*>(p); }

// Waits until `fd` is ready for `events` or `deadline`; false on timeout.
bool WaitFd(int fd, short events, std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd pfd{fd, events, 0};
  return poll(&pfd, 1, static_cast<int>(left.count())) > 0;
}

}  // namespace

Result<std::unique_ptr<RawTlsConnection>> RawTlsConnection::Connect(int port,
                                                                    const std::string& ca_pem) {
  std::unique_ptr<RawTlsConnection> c(new RawTlsConnection());
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  c->ctx_ = ctx;
  if (ctx == nullptr) return Transport("raw tls: SSL_CTX_new failed");
  BIO* bio = BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size()));
  X509* ca = bio != nullptr ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  if (ca == nullptr) return Transport("raw tls: the CA is not PEM");
  X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), ca);
  X509_free(ca);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);

  c->fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (c->fd_ < 0) return Transport("raw tls: socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(c->fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return Transport("raw tls: connect to port " + std::to_string(port) + " failed");
  }
  fcntl(c->fd_, F_SETFL, fcntl(c->fd_, F_GETFL) | O_NONBLOCK);
  SSL* ssl = SSL_new(ctx);
  c->ssl_ = ssl;
  SSL_set_fd(ssl, c->fd_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    int rc = SSL_connect(ssl);
    if (rc == 1) break;
    int err = SSL_get_error(ssl, rc);
    short events = err == SSL_ERROR_WANT_READ ? POLLIN : err == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
    if (events == 0) {
      char buf[256];
      ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
      return Transport(std::string("raw tls: handshake failed: ") + buf);
    }
    if (!WaitFd(c->fd_, events, deadline)) return Transport("raw tls: handshake timed out");
  }
  return c;
}

RawTlsConnection::~RawTlsConnection() {
  if (ssl_ != nullptr) SSL_free(AsSsl(ssl_));
  if (ctx_ != nullptr) SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
  if (fd_ >= 0) close(fd_);
}

Result<void> RawTlsConnection::Write(std::string_view bytes, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!bytes.empty()) {
    int n = SSL_write(AsSsl(ssl_), bytes.data(), static_cast<int>(bytes.size()));
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    int err = SSL_get_error(AsSsl(ssl_), n);
    short events = err == SSL_ERROR_WANT_READ ? POLLIN : err == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
    if (events == 0) return Transport("raw tls: write failed (peer closed or reset)");
    if (!WaitFd(fd_, events, deadline)) return Transport("raw tls: write timed out");
  }
  return {};
}

RawTlsConnection::ReadResult RawTlsConnection::Read(std::chrono::milliseconds timeout,
                                                    std::string_view until) {
  ReadResult out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (!until.empty() && out.data.find(until) != std::string::npos) return out;
    char buf[16384];
    int n = SSL_read(AsSsl(ssl_), buf, sizeof buf);
    if (n > 0) {
      out.data.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    int err = SSL_get_error(AsSsl(ssl_), n);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      if (!WaitFd(fd_, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) return out;
      continue;
    }
    ERR_clear_error();
    out.closed = true;  // close_notify, EOF without it, or a reset
    return out;
  }
}

}  // namespace tigress::relay::testing
