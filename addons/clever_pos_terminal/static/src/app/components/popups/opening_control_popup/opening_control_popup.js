import { patch } from "@web/core/utils/patch";
import { parseFloat } from "@web/views/fields/parsers";
import { OpeningControlPopup } from "@point_of_sale/app/components/popups/opening_control_popup/opening_control_popup";

patch(OpeningControlPopup.prototype, {
    async confirm() {
        // The shift opens only once a manager approved it (the server checks it again): until
        // then the session stays in opening control, so a reload shows this popup again.
        if (this.pos.cleverTill) {
            const approved = await this.pos.cleverAskApproval("shift_open", {
                amount: parseFloat(this.state.openingCash || "0"),
            });
            if (!approved) {
                return;
            }
        }
        return await super.confirm(...arguments);
    },
});
