import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import { registry } from "@web/core/registry";
import * as Clever from "@clever_pos_terminal/../tests/tours/utils/clever_util";

// A cashier without accounting rights takes cash out of the till; over the threshold a manager
// approves; the shift's list shows it.
registry.category("web_tour.tours").add("CleverCashOutTour", {
    steps: () =>
        [
            Clever.enterOpenShift(),
            Chrome.clickMenuOption("Cash In/Out"),
            {
                content: "cash out",
                trigger: ".modal .input-type:contains('Cash Out')",
                run: "click",
            },
            Clever.typeInDialog(".input-amount input", "25000"),
            Clever.typeInDialog("textarea.cash-reason", "Collection to the bank"),
            Clever.typeInDialog("textarea.o_clever_cash_note", "Bag 17"),
            {
                content: "confirm",
                trigger: ".modal .button.confirm:not([disabled])",
                run: "click",
            },
            Clever.approveWithCode(0),
            {
                content: "the cash move popup is closed",
                trigger: "body:not(:has(.modal .cash-reason))",
            },
            Chrome.clickMenuOption("Cash In/Out"),
            {
                content: "open the list of the shift's cash moves",
                trigger: ".modal .modal-footer button:contains('Details')",
                run: "click",
            },
            {
                content: "the cash out is listed with its note",
                trigger: ".modal .o_clever_cash_move:contains('Bag 17')",
            },
            Chrome.endTour(),
        ].flat(),
});
