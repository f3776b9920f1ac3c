// SPDX-License-Identifier: GPL-3.0-or-later
#include "signalbridge.h"

#include <QSocketNotifier>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace loopscope::app {

namespace {

int g_pipe[2] = {-1, -1};  // one bridge at a time per process

extern "C" void onSignal(int signum)
{
  const int saved = errno;
  const auto byte = static_cast<unsigned char>(signum);
  [[maybe_unused]] const ssize_t n = ::write(g_pipe[1], &byte, 1);
  errno = saved;
}

}  // namespace

SignalBridge::SignalBridge(QObject* parent) : QObject(parent)
{
  if (g_pipe[0] >= 0 || ::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    return;
  }
  struct sigaction sa
  {};
  sa.sa_handler = onSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  if (::sigaction(SIGINT, &sa, nullptr) != 0 || ::sigaction(SIGTERM, &sa, nullptr) != 0) {
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
    return;
  }
  m_notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
  connect(m_notifier, &QSocketNotifier::activated, this, &SignalBridge::drain);
}

SignalBridge::~SignalBridge()
{
  if (m_notifier == nullptr) {
    return;
  }
  // The default actions first, so no handler writes to the pipe once it is closed; then the
  // pipe, so a later bridge can be made.
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
  delete m_notifier;
  m_notifier = nullptr;
  ::close(g_pipe[0]);
  ::close(g_pipe[1]);
  g_pipe[0] = g_pipe[1] = -1;
}

void SignalBridge::drain()
{
  unsigned char buf[64];
  for (;;) {
    const ssize_t n = ::read(g_pipe[0], buf, sizeof buf);
    if (n <= 0) {
      break;
    }
    for (ssize_t i = 0; i < n; ++i) {
      emit signalReceived(buf[i]);
    }
  }
}

}  // namespace loopscope::app
