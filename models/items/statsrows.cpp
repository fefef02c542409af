#include "items/statsrows.h"

#include "core/tensorslice.h"
#include "items/entrytext.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <QObject>

namespace mx {


QString statNumber(double value, bool integral)
{
    if (integral || !std::isfinite(value))
        return QString::fromStdString(formatTensorValue(value, integral));
    return QString::number(value, 'g', 8);
}

QString pythonFloat(double value, bool single)
{
    if (!std::isfinite(value))
        return QString::fromStdString(formatTensorValue(value, false));
    // The shortest digits that read back (std::to_chars), laid out as Python's repr: fixed
    // notation for exponents from -4 to 15, else d.ddde+XX.
    char buffer[64];
    const auto written = single ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<float>(value),
                                                std::chars_format::scientific)
                                : std::to_chars(buffer, buffer + sizeof buffer, value,
                                                std::chars_format::scientific);
    const std::string text(buffer, written.ptr);
    const size_t e = text.find('e');
    const bool negative = text[0] == '-';
    std::string digits;
    for (size_t i = negative ? 1 : 0; i < e; ++i)
        if (text[i] != '.')
            digits += text[i];
    const int exponent = std::stoi(text.substr(e + 1));
    std::string out = negative ? "-" : "";
    if (exponent >= -4 && exponent < 16) {
        if (exponent >= 0) {
            std::string whole = digits.substr(0, std::min<size_t>(digits.size(), exponent + 1));
            whole.append(static_cast<size_t>(exponent + 1) - whole.size(), '0');
            const std::string fraction = digits.size() > static_cast<size_t>(exponent + 1)
                                             ? digits.substr(exponent + 1)
                                             : "0";
            out += whole + "." + fraction;
        } else {
            out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
        }
    } else {
        out += digits.substr(0, 1) + (digits.size() > 1 ? "." + digits.substr(1) : "");
        char exp[16];
        std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        out += exp;
    }
    return QString::fromStdString(out);
}

QString tensorValueText(double value, const TensorStats& stats)
{
    return stats.integral ? statNumber(value, true) : pythonFloat(value, stats.dtype != "float64");
}

QList<QPair<QString, QString>> statsRows(const TensorStats& s)
{
    using entrytext::count;
    QList<QPair<QString, QString>> rows{
        {QObject::tr("shape"), entrytext::shape(s.shape)},
        {QObject::tr("dtype"), QString::fromStdString(s.dtype)},
        {QObject::tr("device"), QString::fromStdString(s.device)},
        {QObject::tr("numel"), count(s.numel)},
        {QObject::tr("bytes"), count(s.bytes)},
    };
    switch (s.state) {
    case TensorStats::State::Empty:
        rows << qMakePair(QObject::tr("values"), QObject::tr("none: the tensor is empty (numel 0)"));
        return rows;
    case TensorStats::State::Unsupported:
        rows << qMakePair(QObject::tr("values"), QString::fromStdString(s.message));
        return rows;
    case TensorStats::State::Cancelled:
        rows << qMakePair(QObject::tr("values"), QObject::tr("cancelled"));
        return rows;
    case TensorStats::State::Ok: break;
    }
    // the tensor's own values exactly (tensorValueText); sums to 8 digits
    if (s.shape.empty())
        rows << qMakePair(QObject::tr("value"), tensorValueText(s.value(), s));
    rows << qMakePair(QObject::tr("min"), tensorValueText(s.min, s))
         << qMakePair(QObject::tr("max"), tensorValueText(s.max, s))
         << qMakePair(QObject::tr("mean"), statNumber(s.mean, false))
         << qMakePair(QObject::tr("std"), statNumber(s.std, false))
         << qMakePair(QObject::tr("L2 norm"), statNumber(s.norm, false))
         << qMakePair(QObject::tr("zeros"), count(s.zeros))
         << qMakePair(QObject::tr("NaN"), count(s.nan))
         << qMakePair(QObject::tr("+Inf"), count(s.posinf))
         << qMakePair(QObject::tr("−Inf"), count(s.neginf));
    return rows;
}

}  // namespace mx
