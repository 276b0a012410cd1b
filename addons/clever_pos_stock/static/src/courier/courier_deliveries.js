import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/** Read a picked file as base64 (without the data: prefix). */
export function readFileAsBase64(file) {
    return new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result).split(",")[1] || "");
        reader.onerror = () => reject(reader.error);
        reader.readAsDataURL(file);
    });
}

/**
 * The courier's phone page: today's deliveries in route order, one card each, every button
 * within a thumb's reach. Call, open the map (2GIS), start, deliver (cash, photo), fail (reason).
 */
export class CourierDeliveries extends Component {
    static template = "clever_pos_stock.CourierDeliveries";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.state = useState({
            deliveries: [],
            reasons: [],
            loading: true,
            busy: false,
            // id of the card whose outcome form is open, and which one ("deliver" / "fail")
            openId: null,
            mode: null,
            cash: "",
            photo: null,
            photoName: "",
            reasonId: "",
            note: "",
        });
        onWillStart(() => this.load());
    }

    get activeCount() {
        return this.state.deliveries.filter((d) => ["assigned", "on_the_way"].includes(d.state)).length;
    }

    async load() {
        this.state.loading = true;
        const data = await this.orm.call("stock.picking", "clever_courier_deliveries", []);
        this.state.deliveries = data.deliveries;
        this.state.reasons = data.reasons;
        this.state.loading = false;
    }

    open(delivery, mode) {
        Object.assign(this.state, {
            openId: delivery.id,
            mode,
            cash: delivery.to_collect ? String(delivery.to_collect) : "0",
            photo: null,
            photoName: "",
            reasonId: "",
            note: "",
        });
    }

    close() {
        this.state.openId = null;
        this.state.mode = null;
    }

    async run(method, delivery, kwargs = {}, message = "") {
        if (this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            await this.orm.call("stock.picking", method, [[delivery.id]], kwargs);
            this.close();
            if (message) {
                this.notification.add(message, { type: "success" });
            }
            await this.load();
        } finally {
            this.state.busy = false;
        }
    }

    start(delivery) {
        return this.run("action_clever_start", delivery, {}, _t("On the way: %s", delivery.name));
    }

    async onPhoto(ev) {
        const file = ev.target.files && ev.target.files[0];
        if (!file) {
            return;
        }
        this.state.photo = await readFileAsBase64(file);
        this.state.photoName = file.name;
    }

    confirmDeliver(delivery) {
        const cash = parseFloat(String(this.state.cash || "0").replace(/\s/g, "").replace(",", "."));
        if (Number.isNaN(cash) || cash < 0) {
            this.notification.add(_t("Enter the cash you took."), { type: "warning" });
            return;
        }
        const kwargs = { cash_collected: cash };
        if (this.state.photo) {
            kwargs.photo = this.state.photo;
        }
        return this.run("action_clever_deliver", delivery, kwargs, _t("Delivered: %s", delivery.name));
    }

    confirmFail(delivery) {
        const reason = this.state.reasons.find((r) => r.id === parseInt(this.state.reasonId));
        if (!reason) {
            this.notification.add(_t("Choose why the delivery failed."), { type: "warning" });
            return;
        }
        if (reason.note_required && !this.state.note.trim()) {
            this.notification.add(_t("Write what happened."), { type: "warning" });
            return;
        }
        return this.run(
            "action_clever_fail",
            delivery,
            { reason_id: reason.id, note: this.state.note },
            _t("Failed: %s", delivery.name)
        );
    }
}

registry.category("actions").add("clever_pos_stock.courier_deliveries", CourierDeliveries);
