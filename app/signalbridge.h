// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QSocketNotifier;

namespace loopscope::app {

// The application's own SIGINT/SIGTERM handling, for the moments no engine handler is installed
// (no run, or a scenario that handles neither): the signal is written to a pipe by an
// async-signal-safe handler and reported on the GUI thread. While a run has handlers of its own
// (the Runner's SIGINT handling, a scenario's add_signal_handler) those replace this one, and the
// engine puts it back when it removes them.
class SignalBridge : public QObject
{
  Q_OBJECT

public:
  explicit SignalBridge(QObject* parent = nullptr);
  ~SignalBridge() override;

  SignalBridge(const SignalBridge&) = delete;
  SignalBridge& operator=(const SignalBridge&) = delete;
  SignalBridge(SignalBridge&&) = delete;
  SignalBridge& operator=(SignalBridge&&) = delete;

  // False if the pipe or the handlers could not be set up (the default actions then apply).
  [[nodiscard]] bool isInstalled() const noexcept { return m_notifier != nullptr; }

signals:
  void signalReceived(int signum);

private:
  void drain();

  QSocketNotifier* m_notifier = nullptr;
};

}  // namespace loopscope::app
