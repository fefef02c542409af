#pragma once

// Reading back exported images in tests: an SVG's size and texts, a PDF's page count.

#include <QByteArray>
#include <QRegularExpression>
#include <QString>
#include <QXmlStreamReader>

/** The root <svg>'s width, height and viewBox, and every <text>'s content, one per line. */
struct SvgInfo {
    bool ok = false;  // well-formed SVG
    QString width, height, viewBox;
    QString text;
};

inline SvgInfo parseSvg(const QByteArray& bytes)
{
    SvgInfo info;
    QXmlStreamReader xml(bytes);
    bool root = true;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (root) {
            if (xml.name() != QLatin1String("svg"))
                return info;
            info.width = xml.attributes().value(QLatin1String("width")).toString();
            info.height = xml.attributes().value(QLatin1String("height")).toString();
            info.viewBox = xml.attributes().value(QLatin1String("viewBox")).toString();
            root = false;
        } else if (xml.name() == QLatin1String("text")) {
            info.text += xml.readElementText(QXmlStreamReader::IncludeChildElements) + QLatin1Char('\n');
        }
    }
    info.ok = !xml.hasError() && !root;
    return info;
}

/** How many pages a PDF has (its /Type /Page objects). */
inline int pdfPageCount(const QByteArray& pdf)
{
    static const QRegularExpression page(QStringLiteral("/Type\\s*/Page[^s]"));
    return int(QString::fromLatin1(pdf).count(page));
}
