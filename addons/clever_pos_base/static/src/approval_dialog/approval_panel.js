import { Component, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * What a requester sees while a manager decides: the request, the QR that opens it on a
 * manager's phone, and a field for the manager's own QR (scanner) or its 6 digits. The decision
 * arrives live on the bus (notification "clever_approval_update" on the requester's partner).
 * Used in the backend (client action) and on the POS screen (ApprovalDialog).
 */
export class ApprovalPanel extends Component {
    static template = "clever_pos_base.ApprovalPanel";
    static props = {
        requestId: Number,
        posConfigId: { type: [Number, Boolean], optional: true },
        onDecided: { type: Function, optional: true },
        onCancelled: { type: Function, optional: true },
    };

    setup() {
        this.orm = useService("orm");
        this.bus = useService("bus_service");
        this.codeInput = useRef("code");
        this.state = useState({ request: null, code: "", message: "", error: false, busy: false });
        onWillStart(async () => {
            this.state.request = await this.orm.call("clever.approval.request", "read_for_dialog", [
                [this.props.requestId],
            ]);
        });
        this.onUpdate = (payload) => this.applyUpdate(payload);
        this.bus.subscribe("clever_approval_update", this.onUpdate);
        onWillUnmount(() => this.bus.unsubscribe("clever_approval_update", this.onUpdate));
    }

    get request() {
        return this.state.request;
    }

    get isPending() {
        return this.request && this.request.state === "pending";
    }

    get phoneQrUrl() {
        return `/clever/approvals/${this.props.requestId}/phone_qr.svg`;
    }

    applyUpdate(payload) {
        if (!payload || payload.id !== this.props.requestId || !this.state.request) {
            return;
        }
        Object.assign(this.state.request, payload);
        if (payload.state === "approved") {
            this.state.error = false;
            this.state.message = _t("Approved by %s.", payload.decided_by);
            this.props.onDecided?.(payload);
        } else if (payload.state !== "pending") {
            this.state.error = true;
            this.state.message = payload.state_label;
        }
    }

    async submitCode(ev) {
        ev?.preventDefault();
        const code = this.state.code.trim();
        if (!code || this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            const result = await this.orm.call("clever.approval.request", "approve_with_code", [
                [this.props.requestId],
                code,
                this.props.posConfigId || false,
            ]);
            this.state.code = "";
            this.state.error = !result.ok;
            this.state.message = result.message;
            if (result.ok) {
                const values = await this.orm.call("clever.approval.request", "read_for_dialog", [
                    [this.props.requestId],
                ]);
                this.applyUpdate(values);
            }
        } finally {
            this.state.busy = false;
            this.codeInput.el?.focus();
        }
    }

    async cancel() {
        if (this.isPending) {
            await this.orm.call("clever.approval.request", "action_cancel", [[this.props.requestId]]);
        }
        this.props.onCancelled?.();
    }
}

/** Backend: a client action (target new) that waits for the request given in its context. */
export class ApprovalWaitAction extends Component {
    static template = "clever_pos_base.ApprovalWaitAction";
    static components = { ApprovalPanel };
    static props = ["*"];

    setup() {
        this.actionService = useService("action");
    }

    get requestId() {
        return this.props.action.context.request_id || this.props.action.params?.request_id;
    }

    close() {
        this.actionService.doAction({ type: "ir.actions.act_window_close" });
    }
}

registry.category("actions").add("clever_pos_base.approval_wait", ApprovalWaitAction);
