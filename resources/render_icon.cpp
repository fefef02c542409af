// mx-render-icon SVG SIZE OUT.png: renders the app icon as a SIZE×SIZE PNG at build time, so the
// installed 48 and 256 px icons always match resources/icons/module-explorer.svg.
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSaveFile>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char* argv[])
{
    QGuiApplication app(argc, argv);  // run with QT_QPA_PLATFORM=offscreen: no display needed
    const QStringList args = QGuiApplication::arguments();
    bool ok = false;
    const int size = args.size() == 4 ? args[2].toInt(&ok) : 0;
    if (!ok || size <= 0 || size > 4096) {
        std::fprintf(stderr, "usage: mx-render-icon SVG SIZE OUT.png\n");
        return 2;
    }
    QSvgRenderer svg(args[1]);
    if (!svg.isValid()) {
        std::fprintf(stderr, "mx-render-icon: cannot read '%s' as SVG\n", qPrintable(args[1]));
        return 1;
    }
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    svg.render(&painter, QRectF(0, 0, size, size));
    painter.end();
    QSaveFile out(args[3]);  // atomic: a failed run leaves no half-written icon
    if (!out.open(QIODevice::WriteOnly) || !image.save(&out, "PNG") || !out.commit()) {
        std::fprintf(stderr, "mx-render-icon: cannot write '%s': %s\n", qPrintable(args[3]),
                     qPrintable(out.errorString()));
        return 1;
    }
    return 0;
}
