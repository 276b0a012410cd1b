import { Component, useRef, useState } from "@odoo/owl";
import { scanBarcode } from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * The scan bar of a receiving: the phone's camera (big button, one thumb), a hardware
 * scanner (the barcode service), or a code typed by hand. Every code goes to the record's
 * `_barcode_scanned` field, whose onchange adds the product or asks to create it.
 */
export class ReceivingScanField extends Component {
    static template = "clever_pos_purchase.ReceivingScanField";
    static props = { ...standardFieldProps };

    setup() {
        this.notification = useService("notification");
        this.input = useRef("code");
        this.state = useState({ code: "" });
        this.canUseCamera = isBarcodeScannerSupported();
        const barcode = useService("barcode");
        useBus(barcode.bus, "barcode_scanned", (ev) => this.submit(ev.detail.barcode));
    }

    async submit(code) {
        code = (code || "").trim();
        if (!code || this.props.readonly) {
            return;
        }
        await this.props.record.update({ [this.props.name]: code });
    }

    async openCamera() {
        let code = null;
        try {
            code = await scanBarcode(this.env, "environment");
        } catch (error) {
            this.notification.add(error.message || _t("The camera could not read a barcode."), {
                type: "warning",
            });
            return;
        }
        if (code) {
            if ("vibrate" in window.navigator) {
                window.navigator.vibrate(100);
            }
            await this.submit(code);
        }
    }

    async onKeydown(ev) {
        if (ev.key === "Enter") {
            ev.preventDefault();
            ev.stopPropagation();
            const code = this.state.code;
            this.state.code = "";
            await this.submit(code);
        }
    }
}

registry.category("fields").add("clever_receiving_scan", {
    component: ReceivingScanField,
    supportedTypes: ["char"],
});
