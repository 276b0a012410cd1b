import { registry } from "@web/core/registry";

/** A hardware or camera scan, as the barcode service receives it: fast keys, then Enter. */
function scan(barcode) {
    return {
        content: `Scan ${barcode}`,
        trigger: ".o_clever_receiving_scan",
        run() {
            for (const key of [...barcode, "Enter"]) {
                document.body.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
            }
        },
    };
}

registry.category("web_tour.tours").add("clever_receiving_phone_tour", {
    steps: () => [
        {
            content: "A new receiving opens on the phone, lines as cards",
            trigger: ".o_clever_receiving_form .o_field_x2many_kanban",
        },
        {
            content: "Choose the supplier: on a phone, a full-screen search opens",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "click",
        },
        {
            trigger: ".modal button:has(.fa-search)",
            run: "click",
        },
        {
            trigger: ".modal .o_searchview_input",
            run: "edit Тест Поставщик",
        },
        {
            trigger: ".o_searchview_autocomplete .o-dropdown-item:first",
            run: "click",
        },
        {
            trigger: ".modal .o_kanban_record:contains('Тест Поставщик')",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        scan("4871013000181"),
        {
            content: "The first product is on the receiving",
            trigger: ".o_field_x2many_kanban .o_kanban_record:contains('Кола тест')",
        },
        scan("4870204001990"),
        {
            content: "The second product is on the receiving",
            trigger: ".o_field_x2many_kanban .o_kanban_record:contains('Квас тест')",
            run: "click",
        },
        {
            content: "Enter the quantity",
            trigger: ".modal .o_field_widget[name=quantity] input",
            run: "edit 6 && press Tab",
        },
        {
            content: "Enter the purchase price",
            trigger: ".modal .o_field_widget[name=price_unit] input",
            run: "edit 210 && press Tab",
        },
        {
            content: "The amount follows: 6 × 210",
            trigger: ".modal .o_field_widget[name=price_subtotal]:contains('260')",
        },
        {
            content: "The sale price follows the markup",
            trigger: ".modal .o_field_widget[name=markup] input",
            run: "edit 50 && press Tab",
        },
        {
            content: "Back to the receiving",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The card shows the new sale price: 210 + 50 % = 315",
            trigger: ".o_field_x2many_kanban .o_kanban_record:contains('Квас тест'):contains('315')",
        },
        {
            content: "Post with one thumb",
            trigger: ".o_clever_receiving_actions button[name=action_post]",
            run: "click",
        },
        {
            content: "Posted",
            trigger: ".o_clever_receiving_posted",
        },
    ],
});
