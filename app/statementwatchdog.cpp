#include "app/statementwatchdog.h"

#include <cstdio>
#include <ostream>
#include <utility>

#include <unistd.h>

namespace mx {

StatementWatchdog::StatementWatchdog(Expired onExpired)
    : onExpired_(std::move(onExpired)), thread_([this] { watch(); })
{
}

StatementWatchdog::~StatementWatchdog()
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void StatementWatchdog::arm(Clock::duration after, std::string message)
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        armed_ = true;
        deadline_ = Clock::now() + after;
        message_ = std::move(message);
    }
    wake_.notify_all();
}

void StatementWatchdog::disarm()
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        armed_ = false;
    }
    wake_.notify_all();
}

int StatementWatchdog::expiredCount() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    return expired_;
}

void StatementWatchdog::watch()
{
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        if (!armed_) {
            wake_.wait(lock);
        } else if (Clock::now() < deadline_) {
            wake_.wait_until(lock, deadline_);  // woken early by arm(), disarm() or stopping
        } else {
            armed_ = false;
            ++expired_;
            if (onExpired_)
                onExpired_(message_);  // under the lock: a late disarm() waits for it
        }
    }
}

void exitAfterTimeout(std::ostream& out, std::ostream& err, const std::string& message)
{
    out.flush();
    err << message << '\n';
    err.flush();
    std::fflush(nullptr);
    ::_exit(1);
}

std::string statementTimeoutError(double seconds)
{
    char limit[32];
    std::snprintf(limit, sizeof limit, "%g", seconds);  // as the interpreter writes it
    return std::string("TimeoutError: the statement ran longer than its time limit of ") + limit + " s";
}

StatementWatchdog::Clock::duration watchdogDelay(double seconds, double graceSeconds)
{
    return std::chrono::duration_cast<StatementWatchdog::Clock::duration>(
        std::chrono::duration<double>(seconds + graceSeconds));
}

std::unique_ptr<StatementWatchdog> timeLimitWatchdog(double seconds, std::ostream& out, std::ostream& err,
                                                     const StatementHookSetter& setHooks)
{
    auto watchdog = std::make_unique<StatementWatchdog>(
        [&out, &err](const std::string& message) { exitAfterTimeout(out, err, message); });
    StatementWatchdog* w = watchdog.get();
    setHooks([w, seconds] { w->arm(watchdogDelay(seconds, kWatchdogGraceSeconds), statementTimeoutError(seconds)); },
             [w] { w->disarm(); });
    return watchdog;
}

}  // namespace mx
