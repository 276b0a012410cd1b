import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import { registry } from "@web/core/registry";
import * as Clever from "@clever_pos_terminal/../tests/tours/utils/clever_util";

// Closing with a counted cash short of the expected: expected cash, difference and totals per
// payment method on screen, a manager's approval, the session closed and the Z report.
registry.category("web_tour.tours").add("CleverClosingTour", {
    steps: () =>
        [
            Clever.enterOpenShift(),
            Chrome.clickMenuOption("Close Register"),
            {
                content: "the expected cash is shown",
                trigger: ".modal .o_clever_expected_cash:contains('11,050')",
            },
            {
                content: "totals per payment method",
                trigger: ".modal .o_clever_pm_total:contains('Card'):contains('220')",
            },
            {
                content: "count the cash",
                trigger: ".modal .close-pos-popup .cash-input input",
                run: "edit 11000",
            },
            {
                content: "the difference is shown",
                trigger: ".modal .o_clever_cash_difference:contains('-50')",
            },
            {
                content: "a Z report button is there",
                trigger: ".modal .o_clever_z_pdf",
            },
            {
                content: "close the register",
                trigger: ".modal .modal-footer button:contains('Close Register')",
                run: "click",
            },
            Dialog.confirm("Proceed Anyway"),
            Clever.approveWithCode(0, { expectUnloadPage: true }),
            {
                content: "the session is closed: the till offers the backend",
                trigger: "button:contains(backend)",
                run: "click",
                expectUnloadPage: true,
            },
            {
                trigger: "body",
                expectUnloadPage: true,
            },
        ].flat(),
});
