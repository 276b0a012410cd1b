import { patch } from "@web/core/utils/patch";
import { PartnerList } from "@point_of_sale/app/screens/partner_list/partner_list";

/**
 * The national digits of a Kazakh phone as the cashier types it: "8 701 555", "+7 (701) 555",
 * "701-555" all give "701555". Null when the text is no phone or is too short (the server's
 * res.partner._clever_phone_digits does the same).
 */
export function cleverPhoneDigits(text) {
    const value = (text || "").trim();
    if (!/^[+\d\s().-]+$/.test(value)) {
        return null;
    }
    let digits = value.replace(/\D/g, "");
    if (
        value.startsWith("+7") ||
        (digits.length === 11 && /^[78]/.test(digits)) ||
        (digits.startsWith("8") && digits.length > 3)
    ) {
        digits = digits.slice(1);
    }
    return digits.length >= 3 ? digits : null;
}

patch(PartnerList.prototype, {
    /** A phone typed in any common spelling finds the customer stored as "+7 7XX XXX XX XX". */
    getPartners(partners) {
        const found = super.getPartners(...arguments);
        const digits = cleverPhoneDigits(this.state.query);
        if (!digits) {
            return found;
        }
        const already = new Set(found.map((p) => p.id));
        const byPhone = partners.filter(
            (p) => !already.has(p.id) && (p.phone || "").replace(/\D/g, "").includes(digits)
        );
        return [...found, ...byPhone];
    },
});
