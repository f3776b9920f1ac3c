// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/errors.h"

#include "engine/exceptiongroup.h"

#include <cxxabi.h>

#include <cstdlib>
#include <cstring>
#include <typeinfo>

namespace loopscope::engine {

const char* CancelledError::what() const noexcept
{
  return message_.empty() ? "CancelledError" : message_.c_str();
}

namespace {
std::string demangle(const char* name)
{
  int status = 0;
  char* out = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string result = (status == 0 && out != nullptr) ? out : name;
  std::free(out);
  // Engine types read better without the namespace.
  const std::string_view prefix = "loopscope::engine::";
  if (result.rfind(prefix, 0) == 0)
    result.erase(0, prefix.size());
  return result;
}
}  // namespace

std::string exception_type_name(const std::exception_ptr& e)
{
  if (!e)
    return {};
  try {
    std::rethrow_exception(e);
  } catch (const BaseException& b) {
    return b.type_name();
  } catch (const std::exception& x) {
    return demangle(typeid(x).name());
  } catch (...) {
    const std::type_info* t = abi::__cxa_current_exception_type();
    return t != nullptr ? demangle(t->name()) : "unknown exception";
  }
}

namespace {
// An ExceptionGroup's line, then each sub-exception on its own line, two spaces deeper per level
// of nesting (Python's traceback draws the same tree with boxes):
//   ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)
//     ValueError: boom
//     ExceptionGroup: inner (1 sub-exception)
//       KeyError: x
void describe_group(const ExceptionGroup& g, const std::string& type, int depth, std::string& out)
{
  out += type + ": " + g.what();
  for (const std::exception_ptr& sub : g.exceptions()) {
    out += '\n';
    out.append(static_cast<std::size_t>(depth + 1) * 2, ' ');
    try {
      std::rethrow_exception(sub);
    } catch (const ExceptionGroup& inner) {
      describe_group(inner, exception_type_name(sub), depth + 1, out);
    } catch (...) {
      out += describe_exception(sub);
    }
  }
}
}  // namespace

std::string describe_exception(const std::exception_ptr& e)
{
  if (!e)
    return {};
  std::string type = exception_type_name(e);
  try {
    std::rethrow_exception(e);
  } catch (const ExceptionGroup& g) {
    std::string out;
    describe_group(g, type, 0, out);
    return out;
  } catch (const CancelledError& c) {
    return c.message().empty() ? type : type + ": " + c.message();
  } catch (const BaseException& b) {
    return type + ": " + b.what();
  } catch (const std::exception& x) {
    const std::string what = x.what();
    return what.empty() || what == type ? type : type + ": " + what;
  } catch (...) {
    return type;
  }
}

const CancelledError* as_cancelled_error(const std::exception_ptr& e) noexcept
{
  if (!e)
    return nullptr;
#if defined(__GLIBCXX__)
  // libstdc++'s exception_ptr is exactly one pointer to the thrown object.
  static_assert(sizeof(std::exception_ptr) == sizeof(void*));
  if (const std::type_info* t = e.__cxa_exception_type();
      t != nullptr && *t == typeid(CancelledError)) {
    void* object = nullptr;
    std::memcpy(&object, &e, sizeof object);
    return static_cast<const CancelledError*>(object);
  }
#endif
  try {
    std::rethrow_exception(e);
  } catch (const CancelledError& c) {
    return &c;  // the object lives as long as `e` does
  } catch (...) {
    return nullptr;
  }
}

bool is_cancelled_error(const std::exception_ptr& e) noexcept
{
  return as_cancelled_error(e) != nullptr;
}

bool is_exit_exception(const std::exception_ptr& e) noexcept
{
  if (!e)
    return false;
  try {
    std::rethrow_exception(e);
  } catch (const KeyboardInterrupt&) {
    return true;
  } catch (const SystemExit&) {
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace loopscope::engine
