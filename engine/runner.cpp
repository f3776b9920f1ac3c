// SPDX-License-Identifier: GPL-3.0-or-later
// Placeholder: filled in by the issue 3 work.
