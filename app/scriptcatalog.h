// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QVector>

#include <optional>

namespace loopscope::app {

// What a script says about itself in its leading comment block (after an SPDX line, if any):
//
//     # Timeouts: asyncio.timeout() around a slow call       <- the title
//     #                                                       <- (blank comment lines separate)
//     # `async with asyncio.timeout(d)` cancels ...           <- the description, joined
//     # loopscope: grace=3                                    <- options for the app
//
// The block ends at the first line that is not a comment.
struct ScriptHeader
{
  QString title;                       // empty when the script has no leading comment
  QString description;                 // paragraphs separated by blank lines
  std::optional<double> graceSeconds;  // "# loopscope: grace=<seconds>"
};
[[nodiscard]] ScriptHeader parseScriptHeader(const QString& source);

// An example script shipped with the app (resources/scenarios/*.py, compiled in as Qt
// resources under :/scenarios).
struct CatalogScript
{
  QString id;        // "timeouts.py": the file name, also the name the run gives the script
  QString resource;  // ":/scenarios/timeouts.py"
  ScriptHeader header;
};

// The example scripts in menu order (the order of the native scenarios they match, others
// after them by name).
[[nodiscard]] const QVector<CatalogScript>& scriptCatalog();
// nullptr for an unknown id.
[[nodiscard]] const CatalogScript* findCatalogScript(const QString& id);
// The script's text (UTF-8); empty if the resource is missing.
[[nodiscard]] QString catalogScriptText(const CatalogScript& script);

}  // namespace loopscope::app
