#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

extern char** environ;

namespace irm::tests {

// One captured output of the child: the read end of its pipe and what came through it.
struct Subprocess::Stream {
  int fd = -1;
  FILE* copy = nullptr;  // optional file that receives a copy of the bytes
  absl::Mutex mu;
  std::string text ABSL_GUARDED_BY(mu);
  bool eof ABSL_GUARDED_BY(mu) = false;
};

namespace {

absl::Status ErrnoError(const std::string& what, int error) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(error)));
}

// The parent's environment with `overrides` ("NAME=value") applied.
std::vector<std::string> MergedEnvironment(const std::vector<std::string>& overrides) {
  std::map<std::string, std::string> entries;
  auto add = [&entries](const std::string& entry) {
    entries[entry.substr(0, entry.find('='))] = entry;
  };
  for (char** e = environ; *e != nullptr; ++e) add(*e);
  for (const std::string& entry : overrides) add(entry);
  std::vector<std::string> out;
  for (auto& [name, entry] : entries) out.push_back(entry);
  return out;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int ShellStatus(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(const SubprocessOptions& options) {
  if (options.argv.empty()) return absl::InvalidArgumentError("Subprocess needs an argv");
  std::unique_ptr<Subprocess> child(new Subprocess());
  child->out_ = std::make_unique<Stream>();
  child->err_ = std::make_unique<Stream>();

  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return ErrnoError("pipe2", errno);
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    int error = errno;
    close(out_pipe[0]);
    close(out_pipe[1]);
    return ErrnoError("pipe2", error);
  }
  child->out_->fd = out_pipe[0];
  child->err_->fd = err_pipe[0];
  const std::pair<Stream*, const std::string*> copies[] = {
      {child->out_.get(), &options.stdout_file}, {child->err_.get(), &options.stderr_file}};
  for (auto [stream, path] : copies) {
    if (path->empty()) continue;
    stream->copy = std::fopen(path->c_str(), "we");
    if (stream->copy == nullptr) {
      int error = errno;
      for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
      return ErrnoError(absl::StrCat("cannot open ", *path), error);
    }
  }

  // dup2 onto 1 and 2 clears O_CLOEXEC on the child's copies only.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  // The child starts with no blocked signals and default dispositions for the usual ones.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t mask;
  sigemptyset(&mask);
  posix_spawnattr_setsigmask(&attr, &mask);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&defaults, s);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> argv = options.argv;
  std::vector<std::string> env = MergedEnvironment(options.env);
  std::vector<char*> argv_c = CStrings(argv);
  std::vector<char*> env_c = CStrings(env);
  int error = posix_spawn(&child->pid_, argv_c[0], &actions, &attr, argv_c.data(), env_c.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (error != 0) {
    child->pid_ = -1;
    absl::MutexLock lock(&child->mu_);
    child->exit_status_ = -1;
    // The drain threads are not running; the destructor closes the read ends.
    for (Stream* s : {child->out_.get(), child->err_.get()}) {
      close(s->fd);
      s->fd = -1;
      if (s->copy != nullptr) std::fclose(s->copy);
      s->copy = nullptr;
    }
    return absl::NotFoundError(
        absl::StrCat("cannot start ", options.argv[0], ": ", std::strerror(error)));
  }
  child->out_thread_ = std::thread(&Subprocess::Drain, child.get(), child->out_.get());
  child->err_thread_ = std::thread(&Subprocess::Drain, child.get(), child->err_.get());
  return child;
}

Subprocess::~Subprocess() {
  {
    absl::MutexLock lock(&mu_);
    if (!exit_status_.has_value() && pid_ > 0) {
      kill(pid_, SIGKILL);
      int status = 0;
      while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      exit_status_ = ShellStatus(status);
    }
  }
  if (out_thread_.joinable()) out_thread_.join();
  if (err_thread_.joinable()) err_thread_.join();
}

void Subprocess::Drain(Stream* stream) {
  char buffer[16384];
  while (true) {
    ssize_t n = read(stream->fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (stream->copy != nullptr) {
      std::fwrite(buffer, 1, n, stream->copy);
      std::fflush(stream->copy);
    }
    absl::MutexLock lock(&stream->mu);
    stream->text.append(buffer, n);
  }
  close(stream->fd);
  if (stream->copy != nullptr) std::fclose(stream->copy);
  absl::MutexLock lock(&stream->mu);
  stream->eof = true;
}

absl::StatusOr<int> Subprocess::Wait(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (!exit_status_.has_value()) {
        int status = 0;
        pid_t done = waitpid(pid_, &status, WNOHANG);
        if (done == pid_) exit_status_ = ShellStatus(status);
      }
    }
    bool exited;
    {
      absl::MutexLock lock(&mu_);
      exited = exit_status_.has_value();
    }
    if (exited) {
      // The output reaches EOF once the child (and anything it forked) closed the pipes.
      bool eof = true;
      for (Stream* s : {out_.get(), err_.get()}) {
        absl::MutexLock lock(&s->mu);
        eof = eof && s->eof;
      }
      if (eof) {
        absl::MutexLock lock(&mu_);
        return *exit_status_;
      }
    }
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "process ", pid_, exited ? " exited but its output is still open" : " still running",
          " after ", absl::FormatDuration(timeout)));
    }
    absl::SleepFor(absl::Milliseconds(2));
  }
}

void Subprocess::Kill(int signal) {
  absl::MutexLock lock(&mu_);
  // Reaping happens under mu_, so an unreaped pid cannot have been reused.
  if (!exit_status_.has_value() && pid_ > 0) kill(pid_, signal);
}

absl::StatusOr<std::string> Subprocess::WaitForStderrLine(const std::string& needle,
                                                          absl::Duration timeout) {
  Stream* s = err_.get();
  std::string line;
  auto found = [s, &needle, &line]() {
    size_t start = 0;
    while (true) {
      size_t end = s->text.find('\n', start);
      if (end == std::string::npos) return s->eof;
      if (absl::StrContains(absl::string_view(s->text).substr(start, end - start), needle)) {
        line = s->text.substr(start, end - start);
        return true;
      }
      start = end + 1;
    }
  };
  absl::MutexLock lock(&s->mu);
  if (!s->mu.AwaitWithTimeout(absl::Condition(&found), timeout)) {
    return absl::DeadlineExceededError(
        absl::StrCat("no stderr line with '", needle, "' after ", absl::FormatDuration(timeout)));
  }
  if (line.empty()) {
    return absl::NotFoundError(
        absl::StrCat("stderr closed without a line containing '", needle, "'"));
  }
  return line;
}

std::string Subprocess::stdout_text() const {
  absl::MutexLock lock(&out_->mu);
  return out_->text;
}

std::string Subprocess::stderr_text() const {
  absl::MutexLock lock(&err_->mu);
  return err_->text;
}

}  // namespace irm::tests
