// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QString>

#include <memory>

class QSaveFile;
class QTemporaryFile;

namespace loopscope::views {

// An output file written whole or not at all: the traces, images and summaries loopscope saves.
// The protocol is QSaveFile's, and so is the behaviour for a file: open(WriteOnly), write through
// the QIODevice, then commit(), which puts the new contents in place in one step (a temporary
// file in the same directory renamed over the target). Until then, and after cancelWriting(), a
// failed write or destruction without commit(), a previous file is exactly as it was.
//
// A target that exists and is not a regular file or a directory — a character device
// (/dev/null, /dev/full, a terminal), a FIFO, /dev/stdout on a pipe — is written *into*, never
// replaced: QSaveFile would rename its temporary file over the device node whenever the process
// may (as root: `--trace /dev/full` left a regular file in /dev). Such a target gets the contents
// staged in a temporary file in QDir::tempPath() and copied into it by commit(), so a write that
// fails or is cancelled sends it nothing, and an error of the device itself (ENOSPC from
// /dev/full, EPIPE) is reported by commit() as for a file. Symbolic links are followed: a link
// to a regular file has that file replaced, the link stays.
//
// Sequential and write-only; writes are gathered in a 64 KiB buffer unless opened Unbuffered.
// errorString() says why open(), a write or commit() failed (the system's reason, e.g. "File too
// large", also for a short write).
class AtomicFile : public QIODevice
{
public:
  explicit AtomicFile(const QString& path);
  ~AtomicFile() override;  // without commit(): as cancelWriting()
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  [[nodiscard]] QString fileName() const { return m_path; }
  // True once open() found a target that is written through (see above), not replaced.
  [[nodiscard]] bool writesThrough() const { return m_staged != nullptr; }
  // True once a write has failed (errorString() says why; commit() will fail).
  [[nodiscard]] bool writeFailed() const { return m_writeFailed; }

  // WriteOnly, optionally with Unbuffered or Text; any other mode fails. Decides, from what the
  // path names now, whether the target is replaced or written through.
  bool open(OpenMode mode) override;
  // Puts what was written in place (see above) and closes. False, with errorString(), when any
  // write failed, writing was cancelled or the last step failed; the target is then unchanged
  // (a written-through target may have received part of the contents if the copy into it
  // failed half-way, e.g. /dev/full).
  bool commit();
  // Discards what was written: commit() will fail and the target is not touched.
  void cancelWriting();
  // As cancelWriting(), then closes.
  void close() override;

  [[nodiscard]] bool isSequential() const override { return true; }

protected:
  qint64 readData(char* data, qint64 maxSize) override;
  qint64 writeData(const char* data, qint64 size) override;

private:
  bool writeAll(const char* data, qint64 size);
  bool flushBuffer();
  bool copyStagedIntoTarget();
  void discard() noexcept;

  QString m_path;
  std::unique_ptr<QSaveFile> m_save;         // a regular or new file
  std::unique_ptr<QTemporaryFile> m_staged;  // a device, FIFO, ...: written at commit()
  QByteArray m_buffer;    // unless opened Unbuffered: writes gathered up to 64 KiB
  bool m_failed = false;  // a write failed or writing was cancelled
  bool m_writeFailed = false;
};

}  // namespace loopscope::views
