// SPDX-License-Identifier: GPL-3.0-or-later
#include "scriptcatalog.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

namespace loopscope::app {

namespace {

// The menu order: like the native scenarios' catalogue.
const char* const kOrder[] = {
    "graceful_shutdown.py",
    "swallowed_cancel.py",
    "timeouts.py",
    "wait_for.py",
    "cancellation.py",
    "blocking_call.py",
    "sequential_vs_gather.py",
    "gather_vs_taskgroup.py",
    "wait_first_completed.py",
    "to_thread.py",
};

int rank(const QString& id)
{
  const auto* it = std::find_if(std::begin(kOrder), std::end(kOrder),
                                [&id](const char* name) { return id == QLatin1String(name); });
  return static_cast<int>(it - std::begin(kOrder));
}

}  // namespace

ScriptHeader parseScriptHeader(const QString& source)
{
  ScriptHeader header;
  static const QRegularExpression option(
      QStringLiteral("^loopscope:\\s*grace\\s*=\\s*([0-9]*\\.?[0-9]+)\\s*s?\\s*$"));
  QStringList paragraphs;
  QString paragraph;
  bool first = true;
  const QStringList lines = source.split(QLatin1Char('\n'));
  for (const QString& raw : lines) {
    const QString line = raw.trimmed();
    if (!line.startsWith(QLatin1Char('#'))) {
      break;
    }
    const QString text = line.mid(1).trimmed();
    if (text.startsWith(QLatin1String("SPDX-License-Identifier")) || text.startsWith('!')) {
      continue;  // licence line, shebang
    }
    if (const QRegularExpressionMatch m = option.match(text); m.hasMatch()) {
      header.graceSeconds = m.captured(1).toDouble();
      continue;
    }
    if (text.startsWith(QLatin1String("loopscope-args:"))) {
      continue;  // the script suite's options
    }
    if (first) {
      if (!text.isEmpty()) {
        header.title = text;
        first = false;
      }
      continue;
    }
    if (text.isEmpty()) {
      if (!paragraph.isEmpty()) {
        paragraphs << paragraph;
        paragraph.clear();
      }
      continue;
    }
    paragraph += (paragraph.isEmpty() ? QString() : QStringLiteral(" ")) + text;
  }
  if (!paragraph.isEmpty()) {
    paragraphs << paragraph;
  }
  header.description = paragraphs.join(QStringLiteral("\n\n"));
  return header;
}

const QVector<CatalogScript>& scriptCatalog()
{
  static const QVector<CatalogScript> catalog = [] {
    QVector<CatalogScript> out;
    const QDir dir(QStringLiteral(":/scenarios"));
    for (const QString& name : dir.entryList({QStringLiteral("*.py")}, QDir::Files)) {
      CatalogScript s;
      s.id = name;
      s.resource = dir.filePath(name);
      s.header = parseScriptHeader(catalogScriptText(s));
      if (s.header.title.isEmpty()) {
        s.header.title = name;
      }
      out.push_back(std::move(s));
    }
    std::stable_sort(out.begin(), out.end(), [](const CatalogScript& a, const CatalogScript& b) {
      return rank(a.id) != rank(b.id) ? rank(a.id) < rank(b.id) : a.id < b.id;
    });
    return out;
  }();
  return catalog;
}

const CatalogScript* findCatalogScript(const QString& id)
{
  const auto& catalog = scriptCatalog();
  const auto it = std::find_if(catalog.begin(), catalog.end(),
                               [&id](const CatalogScript& s) { return s.id == id; });
  return it == catalog.end() ? nullptr : &*it;
}

QString catalogScriptText(const CatalogScript& script)
{
  QFile file(script.resource);
  if (!file.open(QIODevice::ReadOnly)) {
    return {};
  }
  return QString::fromUtf8(file.readAll());
}

}  // namespace loopscope::app
