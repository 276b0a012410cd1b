import { registry } from "@web/core/registry";

function photoFile() {
    const b64 = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==";
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return new File([bytes], "handover.png", { type: "image/png" });
}

registry.category("web_tour.tours").add("clever_courier_phone_tour", {
    steps: () => [
        {
            content: "Two deliveries of mine, in route order; nobody else's",
            trigger: ".o_clever_courier_count:contains('2')",
        },
        {
            trigger: ".o_clever_courier_card:first:contains('Абая 10') .o_clever_courier_call[href^='tel:+7']",
        },
        {
            trigger: ".o_clever_courier_card:first .o_clever_courier_map[href^='https://2gis.kz/search/']",
        },
        {
            content: "Leave with the first order",
            trigger: ".o_clever_courier_card:first .o_clever_courier_start",
            run: "click",
        },
        {
            content: "Handed over",
            trigger: ".o_clever_courier_card:first .o_clever_courier_deliver",
            run: "click",
        },
        {
            content: "The customer paid 650",
            trigger: ".o_clever_courier_card:first .o_clever_courier_cash",
            run: "edit 650",
        },
        {
            content: "Photo of the handover",
            trigger: ".o_clever_courier_card:first label:has(.o_clever_courier_photo)",
            run() {
                const input = document.querySelector(".o_clever_courier_card .o_clever_courier_photo");
                const transfer = new DataTransfer();
                transfer.items.add(photoFile());
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            trigger: ".o_clever_courier_card:first label:contains('handover.png')",
        },
        {
            trigger: ".o_clever_courier_card:first .o_clever_courier_confirm_deliver",
            run: "click",
        },
        {
            content: "Delivered",
            trigger: ".o_clever_courier_state_delivered",
        },
        {
            content: "The second one: nobody at home",
            trigger: ".o_clever_courier_state_assigned .o_clever_courier_start",
            run: "click",
        },
        {
            trigger: ".o_clever_courier_state_on_the_way .o_clever_courier_fail",
            run: "click",
        },
        {
            // The first reason of the list ("Customer absent", whatever the courier's language);
            // the test checks on the server which reason was recorded.
            content: "Choose the reason",
            trigger: ".o_clever_courier_state_on_the_way .o_clever_courier_reason",
            run() {
                const select = document.querySelector(".o_clever_courier_state_on_the_way .o_clever_courier_reason");
                select.value = select.options[1].value;
                select.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            trigger: ".o_clever_courier_state_on_the_way .o_clever_courier_confirm_fail",
            run: "click",
        },
        {
            content: "Failed, with its reason",
            trigger: ".o_clever_courier_state_failed .o_clever_courier_failure:not(:empty)",
        },
        {
            content: "Nothing left to do",
            trigger: ".o_clever_courier_count:contains('0')",
        },
    ],
});
