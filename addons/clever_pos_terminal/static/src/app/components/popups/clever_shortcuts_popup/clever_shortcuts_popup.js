import { Component } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";

/** Keyboard shortcuts of the sale screen (shown by F1). */
export const CLEVER_SHORTCUTS = [
    { key: "F1", label: () => _t("Show these shortcuts") },
    { key: "F2", label: () => _t("Search products (name, category, barcode)") },
    { key: "F3", label: () => _t("Choose or create the customer") },
    { key: "F4", label: () => _t("New order (hold this one)") },
    { key: "F6", label: () => _t("Discount on the whole order (%)") },
    { key: "F7", label: () => _t("Free-text line") },
    { key: "F8", label: () => _t("Debt repayment") },
    { key: "F9", label: () => _t("Pay") },
    { key: "+ / -", label: () => _t("Quantity of the selected line up / down") },
    { key: "Delete", label: () => _t("Remove the selected line") },
];

export class CleverShortcutsPopup extends Component {
    static template = "clever_pos_terminal.CleverShortcutsPopup";
    static components = { Dialog };
    static props = { close: Function };

    get shortcuts() {
        return CLEVER_SHORTCUTS.map((s) => ({ key: s.key, label: s.label() }));
    }
}
