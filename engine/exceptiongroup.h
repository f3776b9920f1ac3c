// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <exception>
#include <string>
#include <vector>

namespace loopscope::engine {

/// Python's ExceptionGroup: several errors raised together, e.g. by a TaskGroup whose children
/// failed. An ordinary error (derives from std::exception), so `catch (const std::exception&)`
/// catches it. The sub-exceptions are kept exactly as raised, in the order they happened; a
/// sub-exception may itself be an ExceptionGroup (nested groups are not flattened).
///
/// what() is Python's str(eg): "message (N sub-exceptions)" ("(1 sub-exception)" for one).
class ExceptionGroup : public std::exception
{
public:
  /// `exceptions` must not be empty and must hold no null pointer (std::invalid_argument).
  ExceptionGroup(std::string message, std::vector<std::exception_ptr> exceptions);

  const char* what() const noexcept override { return what_.c_str(); }
  /// The message without the sub-exception count.
  const std::string& message() const noexcept { return message_; }
  const std::vector<std::exception_ptr>& exceptions() const noexcept { return exceptions_; }

  /// Every leaf exception, nested groups expanded depth-first (for reports and tests).
  std::vector<std::exception_ptr> leaves() const;

  /// Python's __context__: an exception that was being handled when this group was raised. A
  /// TaskGroup puts here the CancelledError it consumed while an outside cancellation is still
  /// pending (3.13 re-cancels the parent), so that error stays alive with the group. May be null.
  const std::exception_ptr& context() const noexcept { return context_; }
  void set_context(std::exception_ptr e) noexcept { context_ = std::move(e); }

private:
  std::string message_;
  std::string what_;
  std::vector<std::exception_ptr> exceptions_;
  std::exception_ptr context_;
};

}  // namespace loopscope::engine
