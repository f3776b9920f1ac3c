// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/scenarios.h>

#include <QWidget>

#include <vector>

class QFormLayout;
class QLabel;
class QPushButton;

namespace loopscope::views {

// A scenario's title, description and parameters as a form: Int → QSpinBox, Seconds →
// QDoubleSpinBox (" s", steps of 0.05), Bool → QCheckBox; ranges from the parameter's bounds,
// tooltips from its tooltip; "Reset to defaults" puts every editor back to the default.
//
// Independent of the catalogue: it copies what it shows from the Scenario it is given, which may
// be built by hand (tests) and need not outlive the call. Each editor's objectName is its
// parameter's key.
class ScenarioPanel : public QWidget
{
  Q_OBJECT

public:
  explicit ScenarioPanel(QWidget* parent = nullptr);
  ~ScenarioPanel() override;

  // Rebuilds the form with every parameter at its default; nullptr shows "no scenario".
  void setScenario(const engine::scenarios::Scenario* scenario);

  // Every parameter's current value, by key (Bool: 0 or 1).
  [[nodiscard]] engine::scenarios::Values values() const;
  // Sets the editors; a key missing from `values` takes its default, an unknown key is ignored,
  // values are clamped to the parameter's range. Emits valuesChanged() once if anything changed.
  void setValues(const engine::scenarios::Values& values);
  // Every parameter back to its default (the "Reset to defaults" button).
  void resetToDefaults();
  // A note shown above the scenario (e.g. that the timeline shows a saved trace, not this
  // scenario); empty hides it.
  void setNotice(const QString& text);
  [[nodiscard]] QString notice() const;

signals:
  // The user edited a parameter, or setValues()/resetToDefaults() changed one. Once per change.
  void valuesChanged();

protected:
  void changeEvent(QEvent* event) override;

private:
  // The notice's colours for the palette's theme (light or dark).
  void styleNotice();
  // The editor of one parameter.
  struct Field
  {
    engine::scenarios::Param param;
    QWidget* editor = nullptr;  // QSpinBox, QDoubleSpinBox or QCheckBox
  };

  [[nodiscard]] double fieldValue(const Field& field) const;
  // Sets without signalling; true if the value changed.
  bool setFieldValue(const Field& field, double value);
  void clearForm();

  QLabel* m_notice = nullptr;
  QLabel* m_title = nullptr;
  QLabel* m_description = nullptr;
  QWidget* m_form = nullptr;
  QFormLayout* m_formLayout = nullptr;
  QPushButton* m_reset = nullptr;
  std::vector<Field> m_fields;
};

}  // namespace loopscope::views
