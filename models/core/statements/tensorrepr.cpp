// repr(tensor) as PyTorch 1.13 prints it: a port of torch/_tensor_str.py (precision 4, the
// summarised form past 1000 elements, integer, float and scientific modes, grad_fn and dtype
// suffixes), and the values a tensor holds as Python numbers (tolist(), iteration).
#include "core/statements/tensorops.h"

#include "core/statements/torchconvert.h"
#include "core/statements/torcherrors.h"
#include "core/tensoraccess.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/function.h>

#include <cmath>
#include <cstdio>
#include <map>

namespace mx::stmt::tensors {

namespace {

constexpr int kPrecision = 4;
constexpr int64_t kThreshold = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int kLineWidth = 80;

// `v` with `precision` digits in printf style 'f' or 'e'; nan and inf as torch prints them.
std::string formatted(double v, int precision, char style)
{
    if (std::isnan(v))
        return "nan";
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    char buf[512];
    std::snprintf(buf, sizeof buf, style == 'e' ? "%.*e" : "%.*f", precision, v);
    return buf;
}

std::string fixed(double v, int precision) { return formatted(v, precision, 'f'); }

std::string scientific(double v, int precision) { return formatted(v, precision, 'e'); }

// The values of a tensor in row-major order, as double (floats), int64 (ints) or bool.
struct Flat {
    bool floating = false;
    bool isBool = false;
    std::vector<double> f;
    std::vector<int64_t> i;
    std::vector<int64_t> shape;
    std::vector<int64_t> strides;  // contiguous, in elements
};

Flat flattenValues(const at::Tensor& tensor)
{
    Flat out;
    at::Tensor t = tensor.detach().to(at::kCPU).contiguous();
    out.shape.assign(t.sizes().begin(), t.sizes().end());
    out.strides.assign(t.strides().begin(), t.strides().end());
    out.floating = at::isFloatingType(t.scalar_type());
    out.isBool = t.scalar_type() == at::kBool;
    if (out.floating) {
        at::Tensor d = t.to(at::kDouble).contiguous();
        out.f.assign(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
    } else {
        at::Tensor l = t.to(at::kLong).contiguous();
        out.i.assign(l.data_ptr<int64_t>(), l.data_ptr<int64_t>() + l.numel());
    }
    return out;
}

// _Formatter: decides int mode, scientific notation and the column width from the (summarized) values.
class Formatter {
public:
    Formatter(const Flat& flat, const std::vector<int64_t>& positions)
        : floating_(flat.floating), isBool_(flat.isBool)
    {
        if (!floating_) {
            for (int64_t p : positions)
                maxWidth_ = std::max(maxWidth_, static_cast<int>(intText(flat.i[p]).size()));
            return;
        }
        std::vector<double> finite;
        for (int64_t p : positions) {
            const double v = flat.f[p];
            if (std::isfinite(v) && v != 0)
                finite.push_back(v);
        }
        if (finite.empty())
            return;
        double mn = std::abs(finite[0]), mx = mn;
        for (double v : finite) {
            mn = std::min(mn, std::abs(v));
            mx = std::max(mx, std::abs(v));
        }
        for (double v : finite)
            if (v != std::ceil(v)) {
                intMode_ = false;
                break;
            }
        if (intMode_) {
            if (mx / mn > 1000.0 || mx > 1.0e8) {
                sciMode_ = true;
                for (double v : finite)
                    maxWidth_ = std::max(maxWidth_, static_cast<int>(scientific(v, kPrecision).size()));
            } else {
                for (double v : finite)
                    maxWidth_ = std::max(maxWidth_, static_cast<int>(fixed(v, 0).size()) + 1);
            }
        } else {
            if (mx / mn > 1000.0 || mx > 1.0e8 || mn < 1.0e-4) {
                sciMode_ = true;
                for (double v : finite)
                    maxWidth_ = std::max(maxWidth_, static_cast<int>(scientific(v, kPrecision).size()));
            } else {
                for (double v : finite)
                    maxWidth_ = std::max(maxWidth_, static_cast<int>(fixed(v, kPrecision).size()));
            }
        }
    }

    int width() const { return maxWidth_; }

    std::string formatFloat(double v) const
    {
        std::string s;
        if (sciMode_) {
            s = scientific(v, kPrecision);
        } else if (intMode_) {
            s = fixed(v, 0);
            if (!std::isinf(v) && !std::isnan(v))
                s += ".";
        } else {
            s = fixed(v, kPrecision);
        }
        return pad(s);
    }

    std::string formatInt(int64_t v) const { return pad(intText(v)); }

private:
    std::string intText(int64_t v) const
    {
        if (isBool_)
            return v ? "True" : "False";
        return std::to_string(v);
    }
    std::string pad(const std::string& s) const
    {
        return static_cast<int>(s.size()) < maxWidth_ ? std::string(maxWidth_ - s.size(), ' ') + s : s;
    }

    bool floating_;
    bool isBool_;
    bool intMode_ = true;
    bool sciMode_ = false;
    int maxWidth_ = 1;
};

// Prints the (already reduced) values; dimensions in `cut` were reduced to their first and last
// kEdgeItems entries, between which "..." goes.
class Printer {
public:
    Printer(const Flat& flat, const Formatter& fmt, std::vector<bool> cut)
        : flat_(flat), fmt_(fmt), cut_(std::move(cut))
    {
    }

    std::string element(int64_t offset) const
    {
        return flat_.floating ? fmt_.formatFloat(flat_.f[offset]) : fmt_.formatInt(flat_.i[offset]);
    }

    std::string vector(size_t dim, int64_t base, int indent) const
    {
        const int elementLength = fmt_.width() + 2;
        const int perLine = std::max(1, static_cast<int>(std::floor(
                                            static_cast<double>(kLineWidth - indent) / elementLength)));
        const int64_t n = flat_.shape[dim];
        const int64_t stride = flat_.strides[dim];
        std::vector<std::string> data;
        if (cut_[dim]) {
            for (int64_t k = 0; k < kEdgeItems; ++k)
                data.push_back(element(base + k * stride));
            data.push_back(" ...");
            for (int64_t k = n - kEdgeItems; k < n; ++k)
                data.push_back(element(base + k * stride));
        } else {
            for (int64_t k = 0; k < n; ++k)
                data.push_back(element(base + k * stride));
        }
        std::string out = "[";
        for (size_t k = 0; k < data.size(); ++k) {
            if (k > 0)
                out += k % perLine == 0 ? ",\n" + std::string(indent + 1, ' ') : ", ";
            out += data[k];
        }
        return out + "]";
    }

    std::string tensor(size_t dim, int64_t base, int indent) const
    {
        const size_t remaining = flat_.shape.size() - dim;
        if (remaining == 0)
            return element(base);
        if (remaining == 1)
            return vector(dim, base, indent);
        const int64_t n = flat_.shape[dim];
        const int64_t stride = flat_.strides[dim];
        std::vector<std::string> slices;
        if (cut_[dim]) {
            for (int64_t k = 0; k < kEdgeItems; ++k)
                slices.push_back(tensor(dim + 1, base + k * stride, indent + 1));
            slices.push_back("...");
            for (int64_t k = n - kEdgeItems; k < n; ++k)
                slices.push_back(tensor(dim + 1, base + k * stride, indent + 1));
        } else {
            for (int64_t k = 0; k < n; ++k)
                slices.push_back(tensor(dim + 1, base + k * stride, indent + 1));
        }
        const std::string sep = "," + std::string(remaining - 1, '\n') + std::string(indent + 1, ' ');
        std::string out = "[";
        for (size_t k = 0; k < slices.size(); ++k)
            out += (k ? sep : "") + slices[k];
        return out + "]";
    }

private:
    const Flat& flat_;
    const Formatter& fmt_;
    std::vector<bool> cut_;
};

std::string shapeTuple(const at::IntArrayRef& sizes)
{
    std::string out = "(";
    for (size_t k = 0; k < sizes.size(); ++k)
        out += (k ? ", " : "") + std::to_string(sizes[k]);
    return out + (sizes.size() == 1 ? ",)" : ")");
}

std::string tensorString(const at::Tensor& t, int indent)
{
    if (t.numel() == 0)
        return "[]";
    const bool summarize = t.numel() > kThreshold;
    // get_summarized_data: keep the first and last kEdgeItems along every long dimension, so only
    // those values are converted (a 25088x1024 weight prints from 36 values).
    at::Tensor reduced = t.detach();
    std::vector<bool> cut(static_cast<size_t>(t.dim()), false);
    if (summarize) {
        for (int64_t d = 0; d < t.dim(); ++d) {
            const int64_t n = reduced.size(d);
            if (n > 2 * kEdgeItems) {
                reduced = at::cat({reduced.narrow(d, 0, kEdgeItems),
                                   reduced.narrow(d, n - kEdgeItems, kEdgeItems)},
                                  d);
                cut[static_cast<size_t>(d)] = true;
            }
        }
    }
    const Flat flat = flattenValues(reduced);
    std::vector<int64_t> positions(flat.floating ? flat.f.size() : flat.i.size());
    for (size_t k = 0; k < positions.size(); ++k)
        positions[k] = static_cast<int64_t>(k);
    const Formatter fmt(flat, positions);
    return Printer(flat, fmt, std::move(cut)).tensor(0, 0, indent);
}

std::string addSuffixes(const std::string& tensorStr, const std::vector<std::string>& suffixes,
                        int indent)
{
    std::string out = tensorStr;
    const size_t nl = tensorStr.rfind('\n');
    int64_t lastLineLen = static_cast<int64_t>(tensorStr.size()) -
                          (nl == std::string::npos ? -1 : static_cast<int64_t>(nl)) + 1;
    for (const std::string& suffix : suffixes) {
        const int64_t len = static_cast<int64_t>(suffix.size());
        if (lastLineLen + len + 2 > kLineWidth) {
            out += ",\n" + std::string(indent, ' ') + suffix;
            lastLineLen = indent + len;
        } else {
            out += ", " + suffix;
            lastLineLen += len + 2;
        }
    }
    return out + ")";
}

std::string reprTensor(const at::Tensor& input)
{
    const std::string prefix = "tensor(";
    const int indent = static_cast<int>(prefix.size());
    std::vector<std::string> suffixes;
    at::Tensor self = input;
    if (self.device().type() != at::kCPU)
        suffixes.push_back("device='" + self.device().str() + "'");
    const at::ScalarType st = self.scalar_type();
    const bool defaultDtype = st == at::kFloat || st == at::kLong || st == at::kBool ||
                              st == at::kComplexFloat;
    std::string body;
    if (self.numel() == 0) {
        if (self.dim() != 1)
            suffixes.push_back("size=" + shapeTuple(self.sizes()));
        if (st != at::kFloat)
            suffixes.push_back("dtype=torch." + dtypeName(st));
        body = "[]";
    } else {
        if (!defaultDtype)
            suffixes.push_back("dtype=torch." + dtypeName(st));
        if (self.is_complex())
            throw PythonError("NotImplementedError",
                              "printing complex tensors is not supported by Module Explorer's console");
        body = tensorString(self, indent);
    }
    const std::string gradFn = gradFnName(wrap(input));
    if (!gradFn.empty())
        suffixes.push_back("grad_fn=<" + gradFn + ">");
    else if (input.requires_grad())
        suffixes.push_back("requires_grad=True");
    return addSuffixes(prefix + body, suffixes, indent);
}

}  // namespace

std::string repr(const TensorRef& t, bool isParameter)
{
    if (t.isNone())
        return "None";
    return guarded([&] {
        at::NoGradGuard noGrad;
        const std::string r = reprTensor(raw(t));
        return isParameter ? "Parameter containing:\n" + r : r;
    });
}

std::vector<Scalar> values(const TensorRef& t)
{
    return guarded([&] {
        const Flat flat = flattenValues(raw(t));
        std::vector<Scalar> out;
        if (flat.floating) {
            for (double v : flat.f)
                out.push_back(Scalar::floating(v));
        } else {
            for (int64_t v : flat.i)
                out.push_back(flat.isBool ? Scalar::boolean(v != 0) : Scalar::integer(v));
        }
        return out;
    });
}

}  // namespace mx::stmt::tensors
