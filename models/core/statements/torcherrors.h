#pragma once
// Private to models/core/statements .cpp files (includes c10): LibTorch's errors as Python's.

#include "core/pythonerror.h"

#include <c10/util/Exception.h>

namespace mx::stmt {

/** Runs a torch call, turning c10 errors into the exceptions Python would see. */
template <typename F>
auto guarded(F&& f) -> decltype(f())
{
    try {
        return f();
    } catch (const c10::IndexError& e) {
        throw PythonError("IndexError", e.what_without_backtrace());
    } catch (const c10::ValueError& e) {
        throw PythonError("ValueError", e.what_without_backtrace());
    } catch (const c10::TypeError& e) {
        throw PythonError("TypeError", e.what_without_backtrace());
    } catch (const c10::NotImplementedError& e) {
        throw PythonError("NotImplementedError", e.what_without_backtrace());
    } catch (const c10::Error& e) {
        throw PythonError("RuntimeError", e.what_without_backtrace());
    }
}

}  // namespace mx::stmt
