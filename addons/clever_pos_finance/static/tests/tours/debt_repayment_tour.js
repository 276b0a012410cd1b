import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as NumberPopup from "@point_of_sale/../tests/generic_helpers/number_popup_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as Notification from "@point_of_sale/../tests/generic_helpers/notification_util";
import { registry } from "@web/core/registry";

// Language-neutral: the till may run in Russian or Kazakh, so buttons are found by class.
registry.category("web_tour.tours").add("CleverDebtRepaymentTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm(),
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Partner Test 1"),
            ProductScreen.clickControlButtonMore(),
            {
                content: "click the debt repayment button",
                trigger: ".control-buttons .o_clever_debt_repayment_button",
                run: "click",
            },
            NumberPopup.enterValue("60"),
            NumberPopup.isShown("60"),
            Dialog.confirm(),
            Notification.has("REP/"),
            Chrome.endTour(),
        ].flat(),
});
