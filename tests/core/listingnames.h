#pragma once
// Test helper shared by the core tests: the names of a listing, as Qt strings for QCOMPARE.

#include "core/listings.h"

#include <QStringList>

#include <vector>

/** The entries' names (state_dict keys, named_parameters names, ...), in order. */
inline QStringList listingNames(const std::vector<mx::ListingEntry>& entries)
{
    QStringList out;
    for (const mx::ListingEntry& e : entries)
        out << QString::fromStdString(e.name);
    return out;
}
