import { patch } from "@web/core/utils/patch";
import { PartnerLine } from "@point_of_sale/app/screens/partner_list/partner_line/partner_line";

patch(PartnerLine.prototype, {
    /** The customer's debt to the shop (posted and not yet posted customer-account sales). */
    get cleverDebt() {
        return this.props.partner.clever_pos_debt || 0;
    },
});
