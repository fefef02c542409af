#pragma once

#include <QDialog>
#include <QSize>
#include <QString>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace mx {

/** File → Export View…: which view, format, scale, size, theme, selection and scroll bars. */
class ExportViewDialog : public QDialog {
    Q_OBJECT
public:
    /** `views` are the names offered (e.g. "tree"), `labels` what the list shows for each. */
    ExportViewDialog(const QStringList& views, const QStringList& labels, QWidget* parent = nullptr);

    void setView(const QString& view);
    QString view() const;
    /** "png", "svg" or "pdf". */
    QString format() const;
    void setFormat(const QString& format);
    double scale() const;
    /** 0 for a side taken from the view. */
    QSize size() const;
    /** The light print theme (true) or the screen's colours. */
    bool printTheme() const;
    bool showSelection() const;
    bool showScrollBars() const;
    /** The whole tree fully expanded, every row of a listing or the transcript. */
    bool whole() const;

private:
    void updateEnabled();

    QStringList views_;
    QComboBox* view_;
    QComboBox* format_;
    QComboBox* scale_;
    QSpinBox* width_;
    QSpinBox* height_;
    QComboBox* theme_;
    QCheckBox* whole_;
    QCheckBox* selection_;
    QCheckBox* scrollBars_;
};

}  // namespace mx
